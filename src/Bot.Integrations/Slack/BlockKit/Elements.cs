using System.Text.Json.Serialization;

namespace Bot.Integrations.Slack.BlockKit;

/// <summary>An interactive element inside an actions, section or input block.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ButtonElement), "button")]
[JsonDerivedType(typeof(PlainTextInputElement), "plain_text_input")]
[JsonDerivedType(typeof(StaticSelectElement), "static_select")]
public abstract record BlockElement
{
    [JsonPropertyName("action_id")] public string? ActionId { get; init; }
}

public sealed record ButtonElement : BlockElement
{
    [JsonPropertyName("text")] public TextObject Text { get; init; } = TextObject.Plain("");
    [JsonPropertyName("value")] public string? Value { get; init; }
    /// <summary><c>primary</c>, <c>danger</c>, or null for the default look.</summary>
    [JsonPropertyName("style")] public string? Style { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("confirm")] public ConfirmDialog? Confirm { get; init; }

    public static ButtonElement Create(string actionId, string text, string? value = null, string? style = null, ConfirmDialog? confirm = null) =>
        new() { ActionId = actionId, Text = TextObject.Plain(text), Value = value, Style = style, Confirm = confirm };
}

public sealed record PlainTextInputElement : BlockElement
{
    [JsonPropertyName("multiline")] public bool? Multiline { get; init; }
    [JsonPropertyName("placeholder")] public TextObject? Placeholder { get; init; }
    [JsonPropertyName("initial_value")] public string? InitialValue { get; init; }
}

public sealed record StaticSelectElement : BlockElement
{
    [JsonPropertyName("placeholder")] public TextObject? Placeholder { get; init; }
    [JsonPropertyName("options")] public IReadOnlyList<SelectOption> Options { get; init; } = [];
    [JsonPropertyName("initial_option")] public SelectOption? InitialOption { get; init; }
}

public sealed record SelectOption
{
    [JsonPropertyName("text")] public TextObject Text { get; init; } = TextObject.Plain("");
    [JsonPropertyName("value")] public string Value { get; init; } = "";
}

/// <summary>The "are you sure?" dialog a button can ask for before it fires.</summary>
public sealed record ConfirmDialog
{
    [JsonPropertyName("title")] public TextObject Title { get; init; } = TextObject.Plain("Are you sure?");
    [JsonPropertyName("text")] public TextObject Text { get; init; } = TextObject.Markdown("");
    [JsonPropertyName("confirm")] public TextObject Confirm { get; init; } = TextObject.Plain("Yes");
    [JsonPropertyName("deny")] public TextObject Deny { get; init; } = TextObject.Plain("Cancel");
    /// <summary><c>primary</c> or <c>danger</c>.</summary>
    [JsonPropertyName("style")] public string? Style { get; init; }
}
