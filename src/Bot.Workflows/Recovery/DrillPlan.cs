using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>The recovery objectives of one table's tier (the procedures' RTO and RPO).</summary>
public sealed record RecoveryObjective(string Tier, TimeSpan Rto, TimeSpan Rpo);

/// <summary>One table a drill restores, the drill table it restores into, and the objectives it is measured against.</summary>
public sealed record DrillTable(string Source, string Target, RecoveryObjective Objective);

/// <summary>
/// The procedures' quarterly DR test, measured: restore each table to its latest restorable time into a
/// <c>securebase-drill-…</c> table, time it to ACTIVE and to a verified copy (RTO), take the gap to the latest
/// restorable time (RPO), compare both with the objectives, report, and delete only the drill tables it made.
/// </summary>
public sealed record DrillPlan(string Environment, IReadOnlyList<DrillTable> Tables) : OperationPlan
{
    /// <summary>Every drill table's name starts with this; the bot deletes no other table.</summary>
    public const string Prefix = "securebase-drill-";

    public override string Describe() => $"DR drill in {Environment}: restore {Tables.Count} table(s) into drill tables, measure, then delete the drill tables";

    public override string Title => $"DR drill in {Environment}";

    public override IEnumerable<Line> Details()
    {
        foreach (var t in Tables)
            yield return Line.Of(Code(t.Source), " → ", Code(t.Target), $" ({t.Objective.Tier}: RTO {Span(t.Objective.Rto)}, RPO {Span(t.Objective.Rpo)})");
        yield return Line.Of(Strong("Then: "), "the drill tables are deleted (only those); the report stays in the audit trail and ", Code("/sb drill history"));
    }
}
