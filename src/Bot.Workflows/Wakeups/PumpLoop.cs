using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Wakeups;

/// <summary>What a pump's round did, and when it next has something to do as far as it knows.</summary>
/// <param name="Handled">How many items the round claimed (a round that found nothing claims none).</param>
/// <param name="NextDue">The earliest time more work is due, if the pump knows of any.</param>
public readonly record struct PumpRound(int Handled, DateTimeOffset? NextDue);

/// <summary>
/// The loop every pump runs: a round, then sleep on its <see cref="Wakeup"/> until the next due time, a signal from
/// this process, or the idle poll; a due time a round learned holds until it comes, whatever woke the pump before it
/// (a signal for work not claimable yet must not send the pump back to the idle poll). Work the round saw as due but could not claim (another instance holds its lease)
/// is left to the idle poll, so a held lease never turns into a busy loop. A round woken by a signal that found
/// nothing looks again shortly a few times: on DynamoDB the index the claims read lags the write by a moment.
/// </summary>
public static class PumpLoop
{
    /// <summary>How long after a signal a round that found nothing looks again, and how often.</summary>
    public static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(200);
    public const int SettleRounds = 3;

    public static async Task RunAsync(string name, Func<CancellationToken, Task<PumpRound>> round, Wakeup wakeup, TimeSpan idlePoll, TimeProvider time,
        ILogger logger, CancellationToken cancellationToken)
    {
        var settling = 0;
        DateTimeOffset? learned = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? next;
            // Every deadline counts from when the round began: a point in time, however long the round took.
            var started = time.GetUtcNow();
            var pollAt = started + idlePoll;
            try
            {
                var result = await round(cancellationToken);
                next = result.NextDue;
                // Due but not claimable (leased elsewhere): the lease holder has it; the idle poll looks again.
                if (result.Handled == 0 && next <= started) next = null;
                // Woken before a due time an earlier round learned (by a signal, or the poll), this round may learn none of
                // its own (e.g. a paced channel's next message is not claimable yet): the earlier one still holds.
                if (learned > started) next = Earliest(next, learned.Value);
                learned = next;
                if (result.Handled == 0 && settling > 0)
                {
                    settling--;
                    next = Earliest(next, started + SettleDelay);
                }
                else if (result.Handled > 0) settling = 0;
            }
            catch (Exception e) when (e is not OperationCanceledException and not NotSupportedException)
            {
                logger.LogError(e, "{Pump} round failed; retrying", name);
                next = started + TimeSpan.FromSeconds(1);
            }

            var reason = await wakeup.WaitAsync(next, pollAt, time, cancellationToken);
            if (reason == WakeReason.Signalled) settling = SettleRounds;
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
