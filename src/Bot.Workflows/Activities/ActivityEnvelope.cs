using System.Text.Json;

namespace Bot.Workflows.Activities;

/// <summary>
/// An activity as it waits in the work queue: which aggregate asked for it, its kind and data, and the triggers
/// that report its result. The work item's id is the activity's id.
/// </summary>
public sealed record ActivityEnvelope(
    string AggregateType,
    string AggregateId,
    string Kind,
    string DataJson,
    string Description,
    string OnSucceeded,
    string OnFailed)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ActivityEnvelope FromJson(string json) =>
        JsonSerializer.Deserialize<ActivityEnvelope>(json, Json) ?? throw new InvalidOperationException("Empty activity envelope.");
}
