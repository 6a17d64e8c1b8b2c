using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>
/// <c>/sb restore table &lt;table&gt; --to &lt;time&gt;</c> and <c>/sb restore object &lt;key&gt; --version &lt;id&gt;</c>: the ops
/// guide's PITR restore (into a new table, never over the source) and S3 version restore, each requested as a change
/// under the two-person rule. Everything that can be refused is refused here, before a change exists: a table or bucket
/// that is not SecureBase's, a time outside the restorable window, a new table that exists, a version that does not.
/// </summary>
public sealed class RestoreCommand(ITableRecovery tables, IReportObjects objects, ChangeRequester requester, IOptions<SecureBaseOptions> options, TimeProvider time) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "restore",
        Summary = "Request a restore: a table to a point in time (into a new table), or an earlier version of a report.",
        Usage = "/sb restore table <table> --to <time> | object <key> --version <id> [--bucket …] [--env prod] [--reason \"…\"] [--category standard|emergency] [--incident <id>]",
        MaxPositionals = 2,
        Flags =
        [
            new FlagSpec("to", "table: the point in time, ISO 8601, UTC unless it has an offset (2026-01-24T12:00:00).", ValueHint: "time"),
            new FlagSpec("version", "object: the version id to make current again (from /sb versions).", ValueHint: "id"),
            new FlagSpec("bucket", "object: a SecureBase reports bucket (default: the environment's).", ValueHint: "bucket"),
            .. ChangeFlags.All,
        ],
        Examples =
        [
            "/sb restore table user-sessions --to 2026-01-24T12:00:00 --reason \"sessions lost in the bad deploy\"",
            "/sb restore object reports/2026/11/report.pdf --version 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY --reason \"deleted by mistake\"",
        ],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        switch (context.Arguments.Positional(0)?.ToLowerInvariant())
        {
            case "table":
                await TableAsync(context, cancellationToken);
                break;
            case "object":
                await ObjectAsync(context, cancellationToken);
                break;
            default:
                throw new UsageException(Line.Of("Restore what? ", Code("/sb restore table <table> --to <time>"), " or ", Code("/sb restore object <key> --version <id>"), "."));
        }
    }

    private async Task TableAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var (env, table) = RecoveryTargets.Table(options.Value, args.Positional(1), args.Flag("env"));
        var at = RecoveryTargets.ParseTime(args.Flag("to"));
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        if (data.Category == ChangeCategory.Major) throw new UsageException(Line.Of("A restore is a Standard change, or an Emergency one with an incident."));

        var window = await ChangeReads.ReadAsync(Line.Of("the restorable window of ", Code(table)), () => tables.GetRestoreWindowAsync(table, cancellationToken));
        if (!window.Enabled)
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " Point-in-time recovery is off on ", Code(table), ", so it cannot be restored to a point in time. Nothing was requested."));
        if (!window.Contains(at))
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Time(at), " is outside the restorable window of ", Code(table), ": ", Time(window.Earliest!.Value), " to ",
                Time(window.Latest!.Value), ". Nothing was requested."));
        var source = await ChangeReads.ReadAsync(Line.Of(Code(table)), () => tables.DescribeTableAsync(table, cancellationToken))
                     ?? throw new UserFacingException(Line.Of(Emoji("mag"), " ", Code(table), " does not exist. Nothing was requested."));
        var target = RecoveryJobs.RestoreTarget(table, at);
        if (await ChangeReads.ReadAsync(Line.Of(Code(target)), () => tables.DescribeTableAsync(target, cancellationToken)) is not null)
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Code(target), " exists already; a restore never overwrites a table. Delete it or pick another minute. Nothing was requested."));

        data.Spec = new ChangeSpec
        {
            Kind = ChangeKind.RestoreTable,
            Environment = env.Name,
            Operation = new TableRestorePlan(env.Name, table, target, at, window.Earliest!.Value, window.Latest!.Value, time.GetUtcNow(), source.ItemCount, source.SizeBytes),
        };
        await requester.SubmitAsync(context, data, cancellationToken);
    }

    private async Task ObjectAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var key = args.Positional(1)?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 1024 || key.Any(char.IsControl) || key.EndsWith('/'))
            throw new UsageException(Line.Of("Which report? Its whole key, e.g. ", Code("reports/2026/11/report.pdf"), " (", Code("/sb versions <prefix>"), " lists them)."));
        var versionId = args.Flag("version")?.Trim();
        if (string.IsNullOrEmpty(versionId) || versionId.Length > 1024)
            throw new UsageException(Line.Of("Which version? ", Code("--version <id>"), " from ", Code($"/sb versions {key}"), "."));
        var (env, bucket) = RecoveryTargets.Bucket(options.Value, args.Flag("bucket"), args.Flag("env"));
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        if (data.Category == ChangeCategory.Major) throw new UsageException(Line.Of("A report restore is a Standard change, or an Emergency one with an incident."));

        var versions = await ChangeReads.ReadAsync(Line.Of("the versions of ", Value(key, 80)), () => objects.VersionsOfAsync(bucket, key, cancellationToken));
        var version = versions.FirstOrDefault(v => v.VersionId == versionId);
        if (version is null)
            throw new UserFacingException(Line.Of(Emoji("mag"), " ", Value(key, 80), " has no version ", Value(versionId, 60), " in ", Code(bucket),
                versions.Count == 0 ? " (it has no versions at all)" : Line.Of(" (it has ", Line.Join(", ", versions.Take(5).Select(v => Line.Of(Code(v.VersionId)))), ")"), ". Nothing was requested."));
        if (version.IsDeleteMarker)
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Code(versionId), " is a delete marker, not a version with content; pick a version from ", Code($"/sb versions {key}"), ". Nothing was requested."));
        var current = versions.FirstOrDefault(v => v.IsLatest);
        if (current?.VersionId == versionId)
            throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(versionId), " is already the current version of ", Value(key, 80), "; nothing to restore."));

        data.Spec = new ChangeSpec
        {
            Kind = ChangeKind.RestoreObject,
            Environment = env.Name,
            Operation = new ObjectRestorePlan(env.Name, bucket, key, versionId, version.LastModified, version.Size, current?.VersionId, current?.IsDeleteMarker ?? false),
        };
        await requester.SubmitAsync(context, data, cancellationToken);
    }
}
