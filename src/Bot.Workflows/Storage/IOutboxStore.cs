namespace Bot.Workflows.Storage;

/// <summary>
/// The outbox as its sender sees it: claim the head of each channel under a lease, then complete, defer or give up each
/// message; and the delivery records (<see cref="SentMessage"/>), which the engine also reads to find a card's message.
/// Messages are queued with their transition (<see cref="UnitOfWork"/>).
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Claims, for each channel, the head of each of its two lanes whose pacing allows it now: the oldest undelivered post (new
    /// messages and thread lines, strictly in order: post 2 is never handed out before post 1 is delivered or given up), and the
    /// oldest undelivered edit of a card (edits in order too), unless that card's first post is still queued. A card's edit so
    /// goes ahead of thread lines queued before it.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Extends the lease of a claimed message to <paramref name="until"/>; false when that claim no longer holds it.</summary>
    Task<bool> RenewOutboxLeaseAsync(OutboxMessage message, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The delivered message with this key, if any.</summary>
    Task<SentMessage?> FindSentAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the first post with this key (a card, a digest) was given up and waits as a dead letter: its edits and thread lines
    /// share its fate (they are given up with it and replayed with it) instead of going out without it.
    /// </summary>
    Task<bool> IsGivenUpAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Records the delivery (the <c>ts</c>) and paces its channel until <paramref name="channelNextAt"/>; removes the message
    /// if <paramref name="message"/>'s claim (its lease owner and token) still holds it. A sender whose lease ran out and was taken over leaves the
    /// message to its new holder, which finds this delivery record and finishes the message without posting it again.
    /// </summary>
    Task CompleteOutboxAsync(OutboxMessage message, SentMessage sent, DateTimeOffset channelNextAt, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the message for a later attempt (if <paramref name="message"/>'s claim still holds it) and holds its whole channel
    /// until <paramref name="channelNextAt"/>.
    /// </summary>
    Task DeferOutboxAsync(OutboxMessage message, DateTimeOffset channelNextAt, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up on a message (permanent failure), if <paramref name="message"/>'s claim (its lease owner and token) still holds it: it leaves the queue so the
    /// channel moves on, and waits as a dead letter (<see cref="IDeadLetterStore"/>).
    /// </summary>
    Task FailOutboxAsync(OutboxMessage message, string error, CancellationToken cancellationToken);
}
