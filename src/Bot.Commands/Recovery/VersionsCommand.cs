using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Aws.S3;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>
/// <c>/sb versions &lt;prefix&gt; [--bucket …] [--env …]</c>: the ops guide's <c>list-object-versions</c> — the versions and
/// delete markers of the reports under a prefix, newest first per report, with the command that restores one.
/// </summary>
public sealed class VersionsCommand(IReportBuckets buckets, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public const int MaxListed = 200;
    public const int MaxShown = 40;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "versions",
        Summary = "The versions and delete markers of the reports under a prefix in the reports bucket.",
        Usage = "/sb versions <prefix> [--bucket securebase-<env>-reports-<account>] [--env prod]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("bucket", "A SecureBase reports bucket (default: the environment's).", ValueHint: "bucket"),
            new FlagSpec("env", "Environment (default prod).", ValueHint: "prod"),
        ],
        Examples = ["/sb versions reports/2026/11/", "/sb versions reports/2026/11/report.pdf --env staging"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var prefix = context.Arguments.Positional(0)?.Trim();
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 1024 || prefix.Any(char.IsControl))
            throw new UsageException(Line.Of("Which prefix? e.g. ", Code("reports/2026/11/"), " or a whole key."));
        var (_, bucket) = RecoveryTargets.Bucket(options.Value, context.Arguments.Flag("bucket"), context.Arguments.Flag("env"));
        var page = await AwsFailures.Guard(Line.Of("listing the versions under ", Value(prefix, 80), " in ", Code(bucket)),
            () => buckets.ListBucketVersionsAsync(bucket, prefix, MaxListed, cancellationToken));

        if (page.Versions.Count == 0)
        {
            await context.RespondAsync(ChatMessage.InChannel(Line.Of(Emoji("mag"), " Nothing under ", Value(prefix, 80), " in ", Code(bucket), ".")), cancellationToken);
            return;
        }
        var keys = page.Versions.GroupBy(v => v.Key).ToList();
        var lines = new List<Line>();
        foreach (var key in keys)
        {
            if (lines.Count >= MaxShown) break;
            var deleted = key.FirstOrDefault(v => v.IsLatest)?.IsDeleteMarker == true;
            lines.Add(Line.Of(Emoji(deleted ? "wastebasket" : "page_facing_up"), " ", Code(key.Key), deleted ? " — deleted (its newest entry is a delete marker)" : ""));
            foreach (var v in key.OrderByDescending(v => v.LastModified))
                lines.Add(v.IsDeleteMarker
                    ? Line.Of("      delete marker ", Code(v.VersionId), " ", Time(v.LastModified), v.IsLatest ? " (latest)" : "")
                    : Line.Of("      version ", Code(v.VersionId), " ", Time(v.LastModified), $" {v.Size:N0} bytes", v.IsLatest ? " (current)" : ""));
        }
        var heading = Line.Of(Emoji("card_index_dividers"), " ", Strong($"{page.Versions.Count}{(page.Truncated ? "+" : "")} versions and delete markers"),
            $" of {keys.Count} report(s) under ", Value(prefix, 80), " in ", Code(bucket));
        var restore = keys.FirstOrDefault(k => k.Any(v => !v.IsDeleteMarker && !v.IsLatest) || k.First().IsDeleteMarker) is { } example
            ? Line.Of("Restore one: ", Code($"/sb restore object {example.Key} --version {example.First(v => !v.IsDeleteMarker).VersionId}"))
            : Line.Of("Every report here has a single version.");
        await context.RespondAsync(ChatMessage.InChannel(Line.Join("\n", [heading, .. lines, restore]),
            [new TextBlock(heading), new LinesBlock(lines), new NoteBlock(restore)]), cancellationToken);
    }
}
