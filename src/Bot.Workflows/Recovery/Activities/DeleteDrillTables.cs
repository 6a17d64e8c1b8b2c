using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>What deleting one drill table found: deleted now, already gone, or refused (and why).</summary>
public sealed record DrillTableDeletion(string Target, bool Gone, string? Error);

/// <summary>
/// Deletes the drill tables a drill made, and nothing else: every name must start with <see cref="DrillPlan.Prefix"/>
/// (anything else is refused here, whatever the caller asks), and the drill passes only the tables its own restore
/// requests created.
/// </summary>
public sealed record DeleteDrillTables(string JobId, IReadOnlyList<string> Targets) : Activity
{
    public override string Describe() => $"delete the drill tables {string.Join(", ", Targets)}";
}

public sealed class DeleteDrillTablesHandler(ITableRecovery tables) : ActivityHandler<DeleteDrillTables>
{
    protected override Task<LiveCheck> CheckAsync(DeleteDrillTables a, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(DeleteDrillTables a, CancellationToken cancellationToken)
    {
        var results = new List<DrillTableDeletion>();
        foreach (var target in a.Targets)
        {
            if (!target.StartsWith(DrillPlan.Prefix, StringComparison.Ordinal))
            {
                results.Add(new DrillTableDeletion(target, false, $"{target} is not a drill table ({DrillPlan.Prefix}…); a drill deletes nothing else"));
                continue;
            }
            try
            {
                var table = await tables.DescribeTableAsync(target, cancellationToken);
                if (table is not null && table.Status != "DELETING") await tables.DeleteTableAsync(target, cancellationToken);
                results.Add(new DrillTableDeletion(target, true, null));
            }
            catch (PortException e) when (!e.Transient)
            {
                results.Add(new DrillTableDeletion(target, false, e.Message));
            }
        }
        return new ActivityResult($"{results.Count(r => r.Gone)} of {results.Count} drill table(s) deleted", JsonSerializer.Serialize(results, RecoveryJson.Options));
    }
}
