using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>One restore to start: the source, the new table, and the point in time (null: the latest restorable time).</summary>
public sealed record RestoreRequest(string Source, string Target, DateTimeOffset? RestoreTo);

/// <summary>What starting one restore found: whether the bot's request made the table, when, the window's latest time then, or why not.</summary>
public sealed record RestoreStart(string Target, bool Created, DateTimeOffset? StartedAt, DateTimeOffset? LatestRestorable, string? Error);

/// <summary>
/// Starts the restores of a job, each into its new table. A target that already exists counts as this job's only when it
/// was made after the job was created (an earlier attempt of this activity got through before a crash); any other
/// existing table is left alone and the step fails, so it is never verified as ours nor deleted.
/// </summary>
public sealed record StartRestores(string JobId, DateTimeOffset JobCreatedAt, IReadOnlyList<RestoreRequest> Requests) : Activity
{
    public override string Describe() => $"start {Requests.Count} restore(s): {string.Join(", ", Requests.Select(r => $"{r.Source} → {r.Target}"))}";
}

public sealed class StartRestoresHandler(ITableRecovery tables, TimeProvider time) : ActivityHandler<StartRestores>
{
    protected override Task<LiveCheck> CheckAsync(StartRestores a, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(StartRestores a, CancellationToken cancellationToken)
    {
        var starts = new List<RestoreStart>();
        foreach (var r in a.Requests)
        {
            try
            {
                var window = await tables.GetRestoreWindowAsync(r.Source, cancellationToken);
                if (await tables.DescribeTableAsync(r.Target, cancellationToken) is { } existing)
                {
                    var ours = existing.CreatedAt is { } created && created >= a.JobCreatedAt.AddSeconds(-5);
                    starts.Add(ours
                        ? new RestoreStart(r.Target, true, existing.CreatedAt, window.Latest, null)
                        : new RestoreStart(r.Target, false, null, null, $"{r.Target} already exists and was not made by this job; it was left alone"));
                    continue;
                }
                var at = time.GetUtcNow();
                await tables.StartRestoreAsync(r.Source, r.Target, r.RestoreTo, cancellationToken);
                starts.Add(new RestoreStart(r.Target, true, at, window.Latest, null));
            }
            catch (PortException e) when (!e.Transient)
            {
                starts.Add(new RestoreStart(r.Target, false, null, null, e.Message));
            }
        }
        var started = starts.Count(s => s.Created);
        return new ActivityResult($"{started} of {starts.Count} restore(s) started", JsonSerializer.Serialize(starts, RecoveryJson.Options));
    }
}
