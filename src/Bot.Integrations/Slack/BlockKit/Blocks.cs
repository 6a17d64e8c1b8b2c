using System.Text.Json.Serialization;

namespace Bot.Integrations.Slack.BlockKit;

/// <summary>A layout block. Serialized with its <c>type</c> discriminator first, as Slack expects.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(ImageBlock), "image")]
[JsonDerivedType(typeof(InputBlock), "input")]
public abstract record Block
{
    [JsonPropertyName("block_id")] public string? BlockId { get; init; }
}

public sealed record SectionBlock : Block
{
    [JsonPropertyName("text")] public TextObject? Text { get; init; }
    [JsonPropertyName("fields")] public IReadOnlyList<TextObject>? Fields { get; init; }
    [JsonPropertyName("accessory")] public BlockElement? Accessory { get; init; }

    public static SectionBlock Markdown(string text) => new() { Text = TextObject.Markdown(text) };
}

/// <summary>Small grey text under a message; elements are text objects or images.</summary>
public sealed record ContextBlock : Block
{
    [JsonPropertyName("elements")] public IReadOnlyList<TextObject> Elements { get; init; } = [];

    public static ContextBlock Markdown(string text) => new() { Elements = [TextObject.Markdown(text)] };
}

public sealed record ActionsBlock : Block
{
    [JsonPropertyName("elements")] public IReadOnlyList<BlockElement> Elements { get; init; } = [];
}

public sealed record DividerBlock : Block;

public sealed record HeaderBlock : Block
{
    [JsonPropertyName("text")] public TextObject Text { get; init; } = TextObject.Plain("");

    public static HeaderBlock Of(string text) => new() { Text = TextObject.Plain(text) };
}

public sealed record ImageBlock : Block
{
    [JsonPropertyName("image_url")] public string ImageUrl { get; init; } = "";
    [JsonPropertyName("alt_text")] public string AltText { get; init; } = "";
    [JsonPropertyName("title")] public TextObject? Title { get; init; }
}

public sealed record InputBlock : Block
{
    [JsonPropertyName("label")] public TextObject Label { get; init; } = TextObject.Plain("");
    [JsonPropertyName("element")] public BlockElement Element { get; init; } = new PlainTextInputElement();
    [JsonPropertyName("hint")] public TextObject? Hint { get; init; }
    [JsonPropertyName("optional")] public bool? Optional { get; init; }
}
