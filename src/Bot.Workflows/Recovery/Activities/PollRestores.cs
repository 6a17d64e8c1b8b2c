using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>One restore to look at: the source it is compared with and the new table.</summary>
public sealed record RestoreTarget(string Source, string Target);

/// <summary>What one look found: still restoring, verified (with the comparison), or failed (the table is gone or never came).</summary>
public sealed record RestoreLook(string Target, RestoreStepStatus Status, DateTimeOffset? ActiveAt, DateTimeOffset? VerifiedAt,
    long? SourceItems, long? CopyItems, IReadOnlyList<string> Checks, bool Mismatch, string? Error);

/// <summary>
/// Looks at each restore once: a table still CREATING is left for the next look; an ACTIVE one is verified as the ops
/// guide says (DescribeTable of both: status, item count against the source, key schema, indexes, encryption) and, for
/// a restore the team will use, point-in-time recovery is turned on for the copy and read back; a table that is gone
/// failed (DynamoDB could not complete the restore).
/// </summary>
public sealed record PollRestores(string JobId, int Poll, IReadOnlyList<RestoreTarget> Targets, bool EnablePitrOnCopy) : Activity
{
    public override string Describe() => $"look at {Targets.Count} restore(s) (look {Poll})";
}

public sealed class PollRestoresHandler(ITableRecovery tables, TimeProvider time) : ActivityHandler<PollRestores>
{
    protected override Task<LiveCheck> CheckAsync(PollRestores a, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(PollRestores a, CancellationToken cancellationToken)
    {
        var looks = new List<RestoreLook>();
        foreach (var t in a.Targets) looks.Add(await LookAsync(t, a.EnablePitrOnCopy, cancellationToken));
        var verified = looks.Count(l => l.Status == RestoreStepStatus.Verified);
        return new ActivityResult($"{verified} of {looks.Count} verified", JsonSerializer.Serialize(looks, RecoveryJson.Options));
    }

    private async Task<RestoreLook> LookAsync(RestoreTarget t, bool enablePitr, CancellationToken cancellationToken)
    {
        var copy = await tables.DescribeTableAsync(t.Target, cancellationToken);
        if (copy is null)
            return new RestoreLook(t.Target, RestoreStepStatus.Failed, null, null, null, null, [], false, $"{t.Target} is gone: DynamoDB could not complete the restore");
        if (copy.Status != "ACTIVE" || copy.RestoreInProgress)
            return new RestoreLook(t.Target, RestoreStepStatus.Restoring, null, null, null, null, [], false, null);

        var activeAt = time.GetUtcNow();
        var source = await tables.DescribeTableAsync(t.Source, cancellationToken);
        var checks = new List<string> { "status ACTIVE" };
        var mismatch = false;
        if (source is null)
        {
            checks.Add($"the source {t.Source} is gone: nothing to compare with");
            mismatch = true;
        }
        else
        {
            checks.Add($"items: {copy.ItemCount:N0} in the copy, {source.ItemCount:N0} in the source now (DynamoDB refreshes both counts about every six hours; the difference is what changed since the restore time)");
            mismatch |= Compare(checks, "key schema", source.KeySchema, copy.KeySchema);
            mismatch |= Compare(checks, "indexes", source.Indexes, copy.Indexes);
            if (source.Sse == copy.Sse) checks.Add($"encryption {copy.Sse}, as the source");
            else { checks.Add($"encryption {copy.Sse}, the source's is {source.Sse}"); mismatch = true; }
        }
        if (enablePitr)
        {
            await tables.EnablePointInTimeRecoveryAsync(t.Target, cancellationToken);
            var window = await tables.GetRestoreWindowAsync(t.Target, cancellationToken);
            checks.Add(window.Enabled ? "point-in-time recovery turned on for the copy" : "point-in-time recovery could not be turned on for the copy");
            mismatch |= !window.Enabled;
        }
        return new RestoreLook(t.Target, RestoreStepStatus.Verified, activeAt, time.GetUtcNow(), source?.ItemCount, copy.ItemCount, checks, mismatch, null);
    }

    private static bool Compare(List<string> checks, string what, IReadOnlyList<string> source, IReadOnlyList<string> copy)
    {
        if (source.SequenceEqual(copy, StringComparer.Ordinal))
        {
            checks.Add($"{what} as the source ({(copy.Count == 0 ? "none" : string.Join(", ", copy))})");
            return false;
        }
        checks.Add($"{what} differ: the copy has {(copy.Count == 0 ? "none" : string.Join(", ", copy))}, the source {(source.Count == 0 ? "none" : string.Join(", ", source))}");
        return true;
    }
}
