using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Workflows.Engine;

public enum FireOutcomeKind { Transitioned, Refused, Duplicate, NotFound, Busy, Stale }

/// <summary>
/// What a trigger came to: <see cref="FireOutcomeKind.Transitioned"/> (saved, with its audit record),
/// <see cref="FireOutcomeKind.Refused"/> (the reasons are the guard descriptions, fit to show the user),
/// <see cref="FireOutcomeKind.Duplicate"/> (the idempotency key was seen before; <see cref="Earlier"/> is
/// what happened then, null while the first attempt is still in flight), <see cref="FireOutcomeKind.NotFound"/>,
/// <see cref="FireOutcomeKind.Busy"/> (kept losing the optimistic race; nothing was changed), or
/// <see cref="FireOutcomeKind.Stale"/> (the button came from a card older than the aggregate; nothing was changed,
/// and <see cref="Reasons"/> says where it stands now).
/// </summary>
public sealed record FireOutcome
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required FireOutcomeKind Kind { get; init; }
    public string? AggregateType { get; init; }
    public string? AggregateId { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public long? AuditSequence { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = [];
    public FireOutcome? Earlier { get; init; }

    public bool IsTransitioned => Kind == FireOutcomeKind.Transitioned;

    /// <summary>
    /// A repeat of a trigger whose first attempt recorded no outcome (still under way, or it died between claiming its key and
    /// its commit): neither done nor failed. A deliverer tries again later (<see cref="OutcomeInDoubtException"/>), never takes it as handled.
    /// </summary>
    [JsonIgnore]
    public bool InDoubt => Kind == FireOutcomeKind.Duplicate && Earlier is null;

    public static FireOutcome Transitioned(string type, string id, string from, string to, long auditSequence) =>
        new() { Kind = FireOutcomeKind.Transitioned, AggregateType = type, AggregateId = id, From = from, To = to, AuditSequence = auditSequence };

    public static FireOutcome Refused(string type, string id, string state, IReadOnlyList<string> reasons) =>
        new() { Kind = FireOutcomeKind.Refused, AggregateType = type, AggregateId = id, From = state, To = state, Reasons = reasons };

    public static FireOutcome Duplicate(FireOutcome? earlier) => new() { Kind = FireOutcomeKind.Duplicate, Earlier = earlier };

    public static FireOutcome NotFound(string type, string id) =>
        new() { Kind = FireOutcomeKind.NotFound, AggregateType = type, AggregateId = id, Reasons = [$"There is no {type} {id}."] };

    public static FireOutcome Stale(string type, string id, string state, string now) =>
        new() { Kind = FireOutcomeKind.Stale, AggregateType = type, AggregateId = id, From = state, To = state, Reasons = [$"That card is out of date: {now} Nothing was changed."] };

    public static FireOutcome Busy(string type, string id) =>
        new() { Kind = FireOutcomeKind.Busy, AggregateType = type, AggregateId = id, Reasons = ["Too many people acted at once; nothing was changed. Try again."] };

    /// <summary>A sentence for the person who acted.</summary>
    public string Describe() => Kind switch
    {
        FireOutcomeKind.Transitioned => $"{AggregateType} {AggregateId}: {From} → {To}.",
        FireOutcomeKind.Duplicate when Earlier is not null => $"Already handled: {Earlier.Describe()}",
        FireOutcomeKind.Duplicate => "This request is already being handled.",
        _ => string.Join(" ", Reasons),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FireOutcome? FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<FireOutcome>(json, Json);
}
