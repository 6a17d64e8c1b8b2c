using System.Text.Json;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Bot.Workflows.Telemetry;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Workflows.Outbox;

/// <summary>
/// Drains the outbox to chat through <see cref="IChat"/>.
/// <list type="bullet">
/// <item>Per channel, two lanes, each strictly in order: posts (new messages and thread lines) and edits of cards. The store
/// hands out a lane's oldest message only after the previous one was acknowledged (or given up), so post 2 never overtakes
/// post 1; a card's edit goes ahead of the thread lines queued before it (the card people look at never waits behind a
/// thread's diagnostics), but never ahead of the card's first post.</item>
/// <item>Cards never orphan: an edit or a thread line of a card whose first post was given up is given up with it (and
/// replayed with it), never posted on its own; an edit of a card nobody knows any more (its record expired) is posted as a new
/// message that then is the card.</item>
/// <item>Pacing: after a post (not after an edit) the channel waits <see cref="ChannelSpacing"/> (Slack allows about one message
/// per second per channel); a 429 holds the whole channel for its <c>Retry-After</c>; transient failures
/// (5xx) back off exponentially; permanent ones (<c>channel_not_found</c>) and those still failing after
/// <see cref="MaxAttempts"/> are given up: kept as dead letters (<see cref="DeadLetters"/>, <c>/sb outbox</c>) for an admin to replay.</item>
/// <item>Several instances: messages are claimed with a lease, so two senders never post the same one.</item>
/// <item>A message is marked sent only after chat said ok, together with its <c>ts</c>, so later messages can
/// thread under it or edit it in place.</item>
/// </list>
/// Between rounds the sender sleeps until a channel it paced may send again or a commit in this process queues a
/// message (<see cref="WorkSignals.Outbox"/>), and looks at the store on its own only every <see cref="PumpOptions.IdlePoll"/>.
/// Delivery is once: Slack's <c>chat.postMessage</c> has no idempotency key, so every post carries the message's id
/// (Slack message metadata), and a message whose earlier attempt may have landed (its process died after Slack took
/// it, or Slack answered 5xx or timed out) is first looked for in the channel (<see cref="IChat.FindPostAsync"/>) and
/// recorded, not posted again. Retries, second instances and a repeated apply are deduplicated by the stored
/// delivery record.
/// </summary>
public sealed class OutboxSender(IOutboxStore store, IChat chat, TimeProvider time, ILogger<OutboxSender> logger,
    WorkSignals? signals = null, IOptions<PumpOptions>? options = null, DeadLetters? deadLetters = null)
    : LeasePump<OutboxMessage>(Settings(options?.Value), (signals ?? new WorkSignals()).Outbox, options?.Value, time, logger)
{
    public static readonly TimeSpan ChannelSpacing = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    /// <summary>Transient failures of one message before it is given up.</summary>
    public const int MaxAttempts = 20;
    public const int MaxChannelsPerRound = 32;
    /// <summary>How far before a message was saved its post is looked for (clocks of chat and bot differ a little).</summary>
    public static readonly TimeSpan FindPostSlack = TimeSpan.FromMinutes(1);

    /// <summary>A channel's lane (its posts, or its edits of cards): each is paced on its own.</summary>
    private static string Lane(OutboxMessage message) => message.UpdateKey is null ? message.Channel : message.Channel + "\nedits";

    /// <summary>Lanes of channels this sender sent to whose pacing has not ended yet, and when it ends.</summary>
    private readonly Dictionary<string, DateTimeOffset> _pacedUntil = new(StringComparer.Ordinal);
    /// <summary>The earliest time a channel handled since the last <see cref="NextDueAsync"/> may send again.</summary>
    private DateTimeOffset? _earliestHandled;

    /// <summary>
    /// One claim a round, of one message per channel, all delivered at once; the lease is <see cref="PumpOptions.OutboxLease"/>,
    /// default <see cref="DefaultLease"/>.
    /// </summary>
    private static LeasePumpSettings Settings(PumpOptions? options) =>
        new("Outbox", options?.OutboxLease ?? DefaultLease, MaxChannelsPerRound, MaxChannelsPerRound, ClaimUntilDrained: false);

    protected override Task<IReadOnlyList<OutboxMessage>> ClaimAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        store.ClaimOutboxAsync(now, Owner, Lease, max, cancellationToken);

    /// <summary>Delivers one message; true when it was delivered. Its channel's pacing is kept for <see cref="NextDueAsync"/>.</summary>
    protected override async Task<bool> RunOneAsync(OutboxMessage message, ItemLease lease)
    {
        var (delivered, channelNextAt) = await DeliverAsync(message, lease);
        lock (_pacedUntil)
        {
            _pacedUntil[Lane(message)] = channelNextAt;
            if (_earliestHandled is null || channelNextAt < _earliestHandled) _earliestHandled = channelNextAt;
        }
        return delivered;
    }

    protected override Task<bool> RenewAsync(OutboxMessage message, DateTimeOffset until, CancellationToken cancellationToken) =>
        store.RenewOutboxLeaseAsync(message, until, cancellationToken);

    /// <summary>Messages never act on an aggregate; left like any deferral.</summary>
    protected override Task LeaveAsync(OutboxMessage message, DateTimeOffset until, string why, CancellationToken cancellationToken) =>
        store.DeferOutboxAsync(message, until, why, cancellationToken);

    /// <summary>Holds nobody's channel: the message is the channel's head again at once.</summary>
    protected override Task GiveBackAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        store.DeferOutboxAsync(message, Time.GetUtcNow(), "handed back at shutdown", cancellationToken);

    /// <summary>
    /// Each channel handled may send its next message at the time its pacing says. A round that found nothing to send may have
    /// found a channel still paced (its next message was saved within the pacing): the pacing this sender set ends at a known
    /// time, so that is when to look again, rather than at the idle poll. Also refreshes the dead letters' count now and then.
    /// </summary>
    protected override async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        if (deadLetters is not null) await deadLetters.CountAsync(cancellationToken, DeadLetters.MaxAge);
        var now = Time.GetUtcNow();
        lock (_pacedUntil)
        {
            foreach (var ended in _pacedUntil.Where(p => p.Value <= now).Select(p => p.Key).ToList()) _pacedUntil.Remove(ended);
            DateTimeOffset? next = _pacedUntil.Count == 0 ? null : _pacedUntil.Values.Min();
            // A channel free again at once (after an edit, or a message given up) may have its next message waiting: now.
            if (_earliestHandled <= now) next = now;
            _earliestHandled = null;
            return next;
        }
    }

    protected override string IdOf(OutboxMessage message) => "message " + message.Id;

    private async Task<(bool Delivered, DateTimeOffset ChannelNextAt)> DeliverAsync(OutboxMessage message, ItemLease lease)
    {
        var cancellationToken = lease.Lost;
        try
        {
            // Delivered before (e.g. a repeated apply after a crash re-queued it): do not post twice.
            var already = await store.FindSentAsync(message.Key, cancellationToken);
            if (already is not null && already.MessageId == message.Id)
            {
                await store.CompleteOutboxAsync(message, already, Time.GetUtcNow(), cancellationToken);
                return (true, Time.GetUtcNow());
            }

            string ts;
            var spacing = ChannelSpacing;
            var target = message.UpdateKey is null ? null : await store.FindSentAsync(message.UpdateKey, cancellationToken);
            var thread = message.ThreadUnderKey is null ? null : await store.FindSentAsync(message.ThreadUnderKey, cancellationToken);
            // An edit or a thread line of a card whose first post was given up shares its fate: given up with it (and replayed
            // with it), never posted on its own as a new message in the channel.
            var missingCard = message.UpdateKey is not null && target is null ? message.UpdateKey
                : message.ThreadUnderKey is not null && thread is null ? message.ThreadUnderKey
                : null;
            if (missingCard is not null && await store.IsGivenUpAsync(missingCard, cancellationToken))
            {
                Logger.LogWarning("Message {Id} to {Channel} belongs to {Card}, which was given up: it waits with it as a dead letter", message.Id, message.Channel, missingCard);
                await store.FailOutboxAsync(message, $"its card was given up ({missingCard})", CancellationToken.None);
                BotTelemetry.GaveUp(DeadLetters.MessageKind, "card_given_up");
                deadLetters?.Changed();
                return (false, Time.GetUtcNow());
            }
            if (target is not null)
            {
                // The fence before the side effect: a sender whose lease passed on does not edit over the new holder's edit.
                await lease.EnsureHeldAsync(cancellationToken);
                await chat.UpdateAsync(target.Channel, target.Ts, Content(message), cancellationToken);
                ts = target.Ts;
                // Slack's one message a second per channel is about new messages; an edit has its method's own limit
                // (a 429 still holds the channel). So the channel's next message may follow an edit at once.
                spacing = TimeSpan.Zero;
            }
            else
            {
                // An edit whose card is not known (its record expired) is posted as a new message, which becomes the card.
                // An earlier attempt may have landed (the process died after chat took it, or chat answered 5xx / timed out):
                // find it by its tag instead of posting a second copy.
                var landed = message.Attempts > 1
                    ? await chat.FindPostAsync(message.Channel, message.Id, thread?.Ts, message.CreatedAt - FindPostSlack, cancellationToken)
                    : null;
                if (landed is not null) Logger.LogInformation("Message {Id} to {Channel} had landed on an earlier attempt ({Ts}); not posting it again", message.Id, message.Channel, landed);
                // The fence before the side effect: a sender whose lease passed on does not post what the new holder posts.
                if (landed is null) await lease.EnsureHeldAsync(cancellationToken);
                ts = landed ?? await chat.PostAsync(message.Channel, Content(message), thread?.Ts, message.Id, cancellationToken);
            }

            var now = Time.GetUtcNow();
            // An edit posted as a new message is the card from now on: later edits edit it, rather than post again.
            var sentAs = target is null && message.UpdateKey is { } replaced ? replaced : message.Key;
            await store.CompleteOutboxAsync(message, new SentMessage(sentAs, message.Id, message.Channel, ts, now), now + spacing, CancellationToken.None);
            return (true, now + spacing);
        }
        catch (ChatRateLimitedException e)
        {
            Logger.LogWarning("Chat rate-limited channel {Channel}; holding it for {RetryAfter}", message.Channel, e.RetryAfter);
            var until = Time.GetUtcNow() + e.RetryAfter;
            await store.DeferOutboxAsync(message, until, "rate_limited", CancellationToken.None);
            return (false, until);
        }
        catch (ChatDeliveryException e) when (e.Transient && message.Attempts < MaxAttempts)
        {
            var backoff = Backoff(message.Attempts);
            Logger.LogWarning("Delivery to {Channel} failed ({Code}, attempt {Attempt}); retrying in {Backoff}", message.Channel, e.ErrorCode, message.Attempts, backoff);
            var until = Time.GetUtcNow() + backoff;
            await store.DeferOutboxAsync(message, until, e.ErrorCode, CancellationToken.None);
            return (false, until);
        }
        catch (ChatDeliveryException e)
        {
            Logger.LogError("Giving up on message {Id} to {Channel} after {Attempts} attempt(s): {Code}", message.Id, message.Channel, message.Attempts, e.ErrorCode);
            BotTelemetry.GaveUp("message", e.ErrorCode);
            await store.FailOutboxAsync(message, e.ErrorCode, CancellationToken.None);
            deadLetters?.Changed();
            return (false, Time.GetUtcNow());
        }
        catch (Exception e) when (e is not OperationCanceledException and not LeaseLostException)
        {
            // Unknown failure (network, a bug in the chat adapter): treat as transient.
            Logger.LogWarning(e, "Delivery to {Channel} failed; retrying", message.Channel);
            var until = Time.GetUtcNow() + Backoff(message.Attempts);
            await store.DeferOutboxAsync(message, until, "error", CancellationToken.None);
            return (false, until);
        }
    }

    private static ChatContent Content(OutboxMessage message) =>
        message.ContentJson is { Length: > 0 } json
            ? JsonSerializer.Deserialize<ChatContent>(json, Json) ?? new ChatContent(message.Text)
            : new ChatContent(message.Text);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>1 s, 2 s, 4 s … up to <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(attempt - 1, 0, 16))));
}
