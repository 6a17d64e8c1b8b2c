using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>
/// Delete the user sessions of <see cref="Table"/> created before <see cref="Cutoff"/> (epoch seconds; the guide's
/// "Remove old user sessions (older than 30 days)"), at most <see cref="RatePerSecond"/> a second, each delete
/// conditional on the session still being older than the cut-off. The counts are the dry run's.
/// </summary>
public sealed record SessionCleanupPlan(
    string Environment,
    string Table,
    int OlderThanDays,
    long Cutoff,
    long Found,
    long StillValid,
    DateTimeOffset? Oldest,
    int RatePerSecond,
    string? TtlAttribute) : OperationPlan
{
    public DateTimeOffset CutoffTime => DateTimeOffset.FromUnixTimeSeconds(Cutoff);

    public TimeSpan Estimated => TimeSpan.FromSeconds(Math.Ceiling(Found / (double)Math.Max(1, RatePerSecond)));

    public override string Describe() => $"delete {Found:N0} sessions of {Table} created before {Utc(CutoffTime)}";

    public override string Title => $"clean up old sessions of {Table}";

    public override IEnumerable<Line> Details()
    {
        yield return Line.Of(Strong("Delete: "), $"{Found:N0} sessions of ", Code(Table), " created more than ", $"{OlderThanDays} days ago (before ", Time(CutoffTime), ")",
            Oldest is { } oldest ? Line.Of("; the oldest from ", Time(oldest)) : "");
        if (StillValid > 0) yield return Line.Of(Strong("Careful: "), $"{StillValid:N0} of them have not expired yet (\"remember me\" sessions): those users will be signed out");
        yield return Line.Of(Strong("How: "), $"at most {RatePerSecond:N0} a second (about {Span(Estimated)}), each delete only if the session is still older than the cut-off; progress in this thread, and it can be paused or stopped");
        yield return Line.Of(Strong("TTL: "), TtlAttribute is { } ttl ? Line.Of("on (", Code(ttl), ") but behind") : "off on this table");
    }
}
