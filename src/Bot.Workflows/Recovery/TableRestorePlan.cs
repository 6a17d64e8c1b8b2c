using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>
/// Restore <see cref="Source"/> as it was at <see cref="RestoreTo"/> into the new table <see cref="Target"/>
/// (<c>&lt;table&gt;-restored-&lt;yyyymmddhhmm&gt;</c>), never over the source; follow it until ACTIVE, verify it as the
/// guide says and turn point-in-time recovery on for the copy. The window and the source's size are those read at the
/// request.
/// </summary>
public sealed record TableRestorePlan(
    string Environment,
    string Source,
    string Target,
    DateTimeOffset RestoreTo,
    DateTimeOffset WindowEarliest,
    DateTimeOffset WindowLatest,
    DateTimeOffset RequestedAt,
    long SourceItemCount,
    long SourceSizeBytes) : OperationPlan
{
    public override string Describe() => $"restore {Source} as it was at {Utc(RestoreTo)} into the new table {Target}";

    public override string Title => $"restore {Source}";

    public override IEnumerable<Line> Details()
    {
        yield return Line.Of(Strong("Restore: "), Code(Source), " as it was at ", Time(RestoreTo), " → new table ", Code(Target), " (the source is not touched)");
        yield return Line.Of(Strong("Restorable window: "), Time(WindowEarliest), " to ", Time(WindowLatest), " (read at the request)");
        yield return Line.Of(Strong("Expected data loss: "), "everything written after ", Time(RestoreTo), $" (about {Span(RequestedAt - RestoreTo)} before the request) is not in the copy");
        yield return Line.Of(Strong("Then: "), "the bot follows the restore until the copy is ACTIVE, compares it with the source (status, item count, key schema, indexes, encryption) and turns point-in-time recovery on for the copy. Pointing the application at the copy is the team's step, not the bot's.");
    }
}
