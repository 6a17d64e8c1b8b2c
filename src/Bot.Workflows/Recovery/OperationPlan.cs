using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Workflows.Messages;

namespace Bot.Workflows.Recovery;

/// <summary>
/// What a data change does, fixed at the request like the rest of a change (<see cref="Changes.ChangeSpec.Operation"/>):
/// a table restore, a report version restore, a session clean-up, a capacity change or a DR drill in production. Its
/// canonical JSON is part of the change's digest, so an approval binds to exactly this plan; the preflight re-reads
/// the live state against it before anything runs.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$plan")]
[JsonDerivedType(typeof(TableRestorePlan), "restore-table")]
[JsonDerivedType(typeof(ObjectRestorePlan), "restore-object")]
[JsonDerivedType(typeof(SessionCleanupPlan), "cleanup-sessions")]
[JsonDerivedType(typeof(CapacityPlan), "capacity")]
[JsonDerivedType(typeof(DrillPlan), "dr-drill")]
public abstract record OperationPlan
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A short phrase for titles, the audit trail and <c>/sb changes</c>.</summary>
    public abstract string Describe();

    /// <summary>The card's title after "Change CHG-…: ".</summary>
    public abstract string Title { get; }

    /// <summary>The lines of the card that say what will happen (and what it will not do).</summary>
    public abstract IEnumerable<Line> Details();

    /// <summary>The plan as the digest sees it.</summary>
    public string Canonical() => JsonSerializer.Serialize(this, Json);

    internal static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A duration in the largest sensible units: "35 d", "4 h 10 min", "6 min", "40 s".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = -span;
        if (span.TotalDays >= 2) return $"{span.TotalDays:0} d";
        if (span.TotalHours >= 1) return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        if (span.TotalMinutes >= 1) return $"{(int)span.TotalMinutes} min";
        return $"{Math.Max(0, (int)span.TotalSeconds)} s";
    }
}
