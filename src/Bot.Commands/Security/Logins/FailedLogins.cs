using Bot.Commands.Cloud;
using Bot.Commands.Security.Feed;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Security.Logins;

/// <summary>
/// Reads an environment's failed logins from its activity feed (the window and the same hours a week earlier, in one
/// read: a Query on the feed's index on <c>action</c>, or a capped Scan) and builds the report. The command and the
/// weekly review both use it.
/// </summary>
public sealed class FailedLogins(ActivityFeedReader feed, IOptions<SecurityOptions> options, TimeProvider time)
{
    public const string Action = "failed_login";

    /// <summary>The activity feed table of an environment (configured, or <c>securebase-&lt;env&gt;-activity-feed</c>).</summary>
    public static string FeedTable(SecureBaseEnvironment env) => env.FindTable("activity-feed") ?? $"securebase-{env.Name}-activity-feed";

    public async Task<(FailedLoginReport Report, FeedReadResult Read)> ReadAsync(SecureBaseEnvironment env, TimeSpan since, Func<FeedProgress, Task>? progress,
        CancellationToken cancellationToken)
    {
        var o = options.Value.FailedLogins;
        var to = time.GetUtcNow();
        var from = to - since;
        var current = new List<FeedRow>();
        var previous = new List<FeedRow>();
        var fromText = ActivityFeedReader.Iso(from);
        var read = await feed.ReadAsync(new FeedRead(FeedTable(env), Action, [(from - FailedLoginReport.Week, to - FailedLoginReport.Week), (from, to)], o.PageSize, o.MaxScannedItems),
            page =>
            {
                foreach (var row in page) (string.CompareOrdinal(row.Timestamp, fromText) >= 0 ? current : previous).Add(row);
                return Task.CompletedTask;
            }, progress, cancellationToken);
        return (FailedLoginReport.Build(from, to, current, previous, o), read);
    }
}
