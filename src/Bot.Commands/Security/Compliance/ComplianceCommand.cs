using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Commands.Security.Feed;
using Bot.Commands.Security.Logins;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Audit;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Compliance;

/// <summary>
/// <c>/sb compliance export [--since 30d] [--env prod] [--to-s3]</c>: the guide's compliance report. The activity feed of the
/// period as CSV (streamed: paged reads, a page in memory at a time), uploaded to a thread with its SHA-256 and row count,
/// and recorded in the bot's audit trail with who exported it. <c>--to-s3</c> runs the guide's ExportTableToPointInTime to
/// <c>Security__Compliance__Bucket</c> instead and follows it to the end. Only <c>security</c> and <c>admin</c>: the export
/// is the compliance record and keeps the IP and e-mail addresses that chat answers mask.
/// </summary>
public sealed class ComplianceCommand(
    ComplianceExporter exporter,
    IDynamoDbItems items,
    IDynamoDbExports exports,
    IAuditLog audit,
    IOptions<SecureBaseOptions> secureBase,
    IOptions<SecurityOptions> security,
    TimeProvider time,
    ILogger<ComplianceCommand> logger) : ICommandHandler
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromDays(30);
    public const string AuditAction = "compliance:export";

    public CommandSpec Spec { get; } = new()
    {
        Verb = "compliance",
        Summary = "Compliance report: the activity feed of a period as CSV (with its SHA-256), or exported to S3 with --to-s3.",
        Usage = "/sb compliance export [--since 30d] [--env prod] [--to-s3]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("since", "The period: e.g. 7d, 30d (default 30d, at most 90d; the feed keeps 45 days).", ValueHint: "30d"),
            new FlagSpec("env", "Environment: prod (default), staging or dev.", ValueHint: "prod"),
            new FlagSpec("to-s3", "Run the guide's export-table-to-point-in-time to the audit exports bucket instead, and follow it.", TakesValue: false),
        ],
        Examples = ["/sb compliance export", "/sb compliance export --since 7d --env staging", "/sb compliance export --to-s3"],
        Roles = SecurityOptions.Owners,
        RolesNeededTo = "export the compliance record",
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        if (args.Positional(0)?.ToLowerInvariant() is not "export")
            throw new UsageException(Line.Of("What should I do? ", Code("/sb compliance export [--since 30d] [--env prod] [--to-s3]"), "."));
        var env = secureBase.Value.Get(args.Flag("env"));
        var table = FailedLogins.FeedTable(env);
        if (args.Has("to-s3"))
        {
            if (args.Flag("since") is not null)
                throw new UsageException(Line.Of(Code("--to-s3"), " exports the whole table as it is now (the guide's export-table-to-point-in-time); it takes no ", Code("--since"), "."));
            await ToS3Async(context, env, table, cancellationToken);
            return;
        }
        var since = DurationParser.Parse(args.Flag("since"), DefaultSince);
        await ToThreadAsync(context, env, table, since, cancellationToken);
    }

    private async Task ToThreadAsync(CommandContext context, SecureBaseEnvironment env, string table, TimeSpan since, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow();
        var from = to - since;
        var period = $"{Stamp(from)} to {Stamp(to)}";
        var directory = Path.Combine(Path.GetTempPath(), "securebase-bot-exports");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            ComplianceExport export;
            var progress = new ReadProgress(context.Reply, Line.Of("Exporting ", Code(table), $" ({period})"), logger);
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                export = await AwsFailures.Guard(Line.Of("reading ", Code(table)),
                    () => exporter.ExportAsync(table, from, to, file, security.Value.Compliance, progress.ReportAsync, cancellationToken));
            await progress.DoneAsync(export.Read);

            if (export.Rows == 0)
            {
                await context.RespondEphemeralAsync(Line.Of(Emoji("information_source"), " ", Code(table), $" has no activity from {period}: nothing to export, no file made.",
                    export.Read.Capped ? " (The read stopped at its cap; raise Security__Compliance__MaxScannedItems to read further.)" : ""), cancellationToken);
                return;
            }

            var record = await audit.AppendAsync(new AuditDraft
            {
                At = time.GetUtcNow(),
                ActorId = context.User.UserId,
                ActorName = context.User.UserName,
                Action = AuditAction,
                RequestId = context.Request.RequestId,
                DetailsJson = JsonSerializer.Serialize(new
                {
                    environment = env.Name, table, from = ActivityFeedReader.Iso(from), to = ActivityFeedReader.Iso(to), rows = export.Rows, sha256 = export.Sha256,
                    bytes = export.Bytes, read = export.Read.Method, scanned = export.Read.Scanned, capped = export.Read.Capped, destination = "slack",
                }),
            }, cancellationToken);

            var name = $"activity-report-{env.Name}-{from:yyyyMMdd}-{to:yyyyMMdd}.csv";
            var summary = Line.Of(Emoji("page_facing_up"), " ", Strong("Compliance export"), $" of ", Code(table), $", {period}: ", Strong($"{export.Rows:N0} row(s)"),
                ", SHA-256 ", Code(export.Sha256), $". Exported by ", context.User.Mention,
                " (audit record ", Code($"#{record.Sequence}"), "). The file is the compliance record: it keeps the IP and e-mail addresses that chat answers mask; whoever downloads it from this thread is responsible for it.",
                export.Read.Capped ? Line.Of(" ", Strong("Incomplete:"), $" the read stopped at its cap of {security.Value.Compliance.MaxScannedItems:N0} items (", Code("Security__Compliance__MaxScannedItems"), ").") : null);
            var anchor = await context.Reply.PostAsync(ChatMessage.InChannel(summary), null, cancellationToken);
            await context.Reply.UploadFileAsync(new FileUpload(name, $"Activity report {env.Name}, {period}", path,
                Line.Of($"{export.Rows:N0} rows · SHA-256 ", Code(export.Sha256), " · exported by ", context.User.Mention)), anchor.Ts, cancellationToken);
        }
        finally
        {
            try { File.Delete(path); }
            catch (IOException e) { logger.LogWarning(e, "Could not remove the export's temporary file"); }
        }
    }

    private async Task ToS3Async(CommandContext context, SecureBaseEnvironment env, string table, CancellationToken cancellationToken)
    {
        var o = security.Value.Compliance;
        var keys = await AwsFailures.Guard(Line.Of("describing ", Code(table)), () => items.DescribeKeysAsync(table, cancellationToken));
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("compliance-export:" + context.Request.RequestId)))[..32];
        var started = await AwsFailures.Guard(Line.Of("starting the export of ", Code(table), " to ", Code(o.Bucket)),
            () => exports.ExportTableToPointInTimeAsync(keys.TableArn, o.Bucket, o.Prefix, null, token, cancellationToken));
        await audit.AppendAsync(new AuditDraft
        {
            At = time.GetUtcNow(),
            ActorId = context.User.UserId,
            ActorName = context.User.UserName,
            Action = AuditAction,
            RequestId = context.Request.RequestId,
            DetailsJson = JsonSerializer.Serialize(new { environment = env.Name, table, destination = $"s3://{o.Bucket}/{o.Prefix}", export = started.ExportArn }),
        }, cancellationToken);

        var posted = await context.Reply.PostAsync(ChatMessage.InChannel(Line.Of(Emoji("hourglass_flowing_sand"), " Exporting ", Code(table), " to ", Code($"s3://{o.Bucket}/{o.Prefix}"),
            " (the guide's ", Code("export-table-to-point-in-time"), ", requested by ", context.User.Mention, "): ", Code(started.Status))), null, cancellationToken);
        var until = time.GetUtcNow() + o.FollowExportFor;
        var export = started;
        while (export.InProgress && time.GetUtcNow() < until)
        {
            await Task.Delay(o.ExportCheckEvery, time, cancellationToken);
            export = await AwsFailures.Guard("following the export", () => exports.DescribeExportAsync(started.ExportArn, cancellationToken));
        }
        var folder = $"s3://{o.Bucket}/{(o.Prefix.Length == 0 ? "" : o.Prefix.TrimEnd('/') + "/")}AWSDynamoDB/{started.ExportArn[(started.ExportArn.LastIndexOf('/') + 1)..]}/";
        var result = export switch
        {
            { Completed: true } => Line.Of(Emoji("white_check_mark"), " Exported ", Code(table), $": {export.ItemCount:N0} item(s), {export.BilledBytes:N0} bytes, in ", Code(folder),
                " (manifest ", Code(export.ManifestKey ?? "manifest-summary.json"), "). Requested by ", context.User.Mention, "."),
            { InProgress: true } => Line.Of(Emoji("hourglass"), " The export of ", Code(table), $" is still running after {DurationParser.Format(o.FollowExportFor)}; ",
                Code($"aws dynamodb describe-export --export-arn {started.ExportArn}"), " follows it."),
            _ => Line.Of(Emoji("x"), " The export of ", Code(table), " ended ", Code(export.Status), ": ", Code(export.FailureCode ?? "?"), " ", AwsFailures.Trim(export.FailureMessage, 200), "."),
        };
        await context.Reply.UpdateAsync(posted, ChatMessage.InChannel(result), cancellationToken);
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
