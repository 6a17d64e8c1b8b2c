using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Idempotency;

namespace Bot.Slack;

/// <summary>
/// Runs the work of one Slack delivery once. Slack never re-sends a slash command or a click, and
/// re-sends an event only when our ack was late, so a second copy of a delivery (same <c>trigger_id</c>;
/// same user, <c>action_id</c> and <c>action_ts</c>; same <c>event_id</c>) is a replay or a redelivery: it
/// is acknowledged like the first and does nothing. The claim is made in the durable
/// <see cref="IIdempotencyStore"/> (the workflow store: SQLite or DynamoDB), so every instance sharing
/// the store, over HTTP or Socket Mode, sees it.
/// </summary>
public sealed class SlackReplayGuard(IIdempotencyStore idempotency, ILogger<SlackReplayGuard> logger)
{
    /// <summary>Far longer than the 5-minute signature window in which a captured request could be posted again.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public static string CommandKey(SlashCommand command) => $"slack-command:{command.TeamId}:{command.Request.RequestId}";

    public static string InteractionKey(InteractionRequest request) => $"slack-interaction:{request.TeamId}:{request.RequestId}";

    public static string EventKey(string eventId) => $"slack-event:{eventId}";

    /// <summary>
    /// Claims <paramref name="key"/> and runs <paramref name="work"/> when this is its first sighting; the
    /// outcome it returns (or <c>failed</c>) is recorded for later copies. False when the key was seen before.
    /// </summary>
    public async Task<bool> RunOnceAsync(string key, Func<Task<string>> work, CancellationToken cancellationToken)
    {
        var claim = await idempotency.ClaimAsync(key, Retention, cancellationToken);
        if (!claim.IsFirst)
        {
            logger.LogWarning("Slack delivery {Key} seen before (outcome {Outcome}): a replay or redelivery, not acted on again", key, claim.EarlierOutcome ?? "in progress");
            return false;
        }

        var outcome = "failed";
        try
        {
            outcome = await work();
        }
        finally
        {
            try
            {
                await idempotency.CompleteAsync(key, outcome, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Could not record the outcome of Slack delivery {Key}", key);
            }
        }
        return true;
    }
}
