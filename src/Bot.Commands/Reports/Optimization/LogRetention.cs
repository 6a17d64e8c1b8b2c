using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Cost;
using Bot.Integrations.Aws.Logs;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Optimization;

/// <summary>
/// The guide's "CloudWatch Logs: reduce retention if not needed for compliance": the functions' log groups
/// (<c>/aws/lambda/securebase-…</c>) whose events never expire, or are kept longer than <see cref="LongerThanDays"/> days, with
/// the bytes they store and what that costs a month.
/// </summary>
public sealed class LogRetention(ICloudWatchLogsClient logs) : IRecommender
{
    public const string Prefix = "/aws/lambda/securebase-";
    public const int LongerThanDays = 90;

    public string Title => "CloudWatch Logs: retention";

    public async Task<IReadOnlyList<Recommendation>> FindAsync(IReadOnlyList<SecureBaseEnvironment> environments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var groups = await AwsFailures.Guard(Line.Of("listing the log groups ", Code(Prefix + "*")), () => logs.DescribeLogGroupsAsync(Prefix, cancellationToken));
        return groups.Where(g => g.LogGroupName is not null && g.RetentionInDays is null or > LongerThanDays)
            .Select(g =>
            {
                var gb = g.StoredBytes / 1e9m;
                var cost = gb * Prices.LogStorageGbMonth;
                return new Recommendation(g.LogGroupName!,
                    Line.Of(Code(g.LogGroupName!), g.RetentionInDays is { } days ? $": events kept {days} days" : ": events never expire (no retention set)",
                        $", {gb:0.0} GB stored, about ", Strong(CostMessages.Money(cost, "USD")), " a month"),
                    Line.Of("Set a retention on ", Code(g.LogGroupName!), $" (the other prod groups keep {LongerThanDays} days), unless compliance needs longer"),
                    g.RetentionInDays is null ? null : decimal.Round(cost, 2));
            }).ToList();
    }
}
