using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Integrations.Slack;

/// <summary>
/// What a workflow button carries in its <c>value</c>: which aggregate, which trigger, the version of the card it sat
/// on, and (when the button asks for text first) the question. Slack signs the whole interaction, so the value
/// cannot be forged from outside; it is still parsed defensively and checked against the registry.
/// </summary>
public sealed record ButtonPayload(
    [property: JsonPropertyName("t")] string AggregateType,
    [property: JsonPropertyName("i")] string AggregateId,
    [property: JsonPropertyName("g")] string Trigger,
    [property: JsonPropertyName("v")] long Version,
    [property: JsonPropertyName("a")] string? AskFor = null)
{
    /// <summary>Slack's limit for a button value.</summary>
    public const int MaxLength = 2000;

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The payload, or null when the text is not one.</summary>
    public static ButtonPayload? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > MaxLength) return null;
        try
        {
            var p = JsonSerializer.Deserialize<ButtonPayload>(json);
            return p is { AggregateType.Length: > 0, AggregateId.Length: > 0, Trigger.Length: > 0, Version: > 0 } ? p : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>action_id</c> of a workflow button: one per aggregate type and trigger, so it is unique on a card.</summary>
    public static string ActionId(string aggregateType, string trigger) => $"wf:{aggregateType}:{trigger}";
}
