namespace Bot.Workflows.Recovery;

/// <summary>Who started a job, and where its card goes.</summary>
public sealed record JobOwner(string Channel, string RequesterId, string RequesterName, bool Rehearsal, string? ChangeId);

/// <summary>The jobs an approved plan becomes: a restore, a drill, a clean-up, each with its own id and card.</summary>
public static class RecoveryJobs
{
    public static RestoreJob Restore(string id, TableRestorePlan plan, JobOwner owner, RecoveryOptions options, DateTimeOffset now) =>
        RestoreJob.Create(id, new RestoreJobData
        {
            Purpose = RestorePurpose.Restore,
            Environment = plan.Environment,
            EnablePitrOnCopy = true,
            Steps = [new RestoreStep { Source = plan.Source, Target = plan.Target, RestoreTo = plan.RestoreTo }],
            PollInterval = options.PollInterval,
            GiveUpAt = now + options.MaxRestoreWait,
        }.OwnedBy(owner));

    public static RestoreJob Drill(string id, DrillPlan plan, JobOwner owner, RecoveryOptions options, DateTimeOffset now) =>
        RestoreJob.Create(id, new RestoreJobData
        {
            Purpose = RestorePurpose.Drill,
            Environment = plan.Environment,
            Steps = plan.Tables.Select(t => new RestoreStep { Source = t.Source, Target = t.Target, Objective = t.Objective }).ToList(),
            PollInterval = options.PollInterval,
            GiveUpAt = now + options.MaxRestoreWait,
        }.OwnedBy(owner));

    public static CleanupJob Cleanup(string id, SessionCleanupPlan plan, JobOwner owner) =>
        CleanupJob.Create(id, new CleanupJobData
        {
            Plan = plan,
            ChangeId = owner.ChangeId,
            Channel = owner.Channel,
            RequesterId = owner.RequesterId,
            RequesterName = owner.RequesterName,
            Rehearsal = owner.Rehearsal,
        });

    private static RestoreJobData OwnedBy(this RestoreJobData data, JobOwner owner)
    {
        data.ChangeId = owner.ChangeId;
        data.Channel = owner.Channel;
        data.RequesterId = owner.RequesterId;
        data.RequesterName = owner.RequesterName;
        data.Rehearsal = owner.Rehearsal;
        return data;
    }

    /// <summary>The drill table for <paramref name="source"/> at <paramref name="stamp"/> (yyyyMMddHHmm): <c>securebase-drill-&lt;env&gt;-&lt;table&gt;-&lt;stamp&gt;</c>.</summary>
    public static string DrillTarget(string environment, string source, string stamp)
    {
        var suffix = source.StartsWith($"securebase-{environment}-", StringComparison.Ordinal) ? source[$"securebase-{environment}-".Length..] : source;
        return $"{DrillPlan.Prefix}{environment}-{suffix}-{stamp}";
    }

    /// <summary>The restored copy of <paramref name="source"/>: <c>&lt;table&gt;-restored-&lt;yyyymmddhhmm&gt;</c> of the restore time.</summary>
    public static string RestoreTarget(string source, DateTimeOffset restoreTo) =>
        $"{source}-restored-{restoreTo.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture)}";
}
