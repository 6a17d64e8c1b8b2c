using Bot.Workflows.Messages;

namespace Bot.Workflows.Ports;

/// <summary>
/// The chat capability the domain needs to deliver outbox messages. Slack implements it with
/// <c>chat.postMessage</c> / <c>chat.update</c> (rendering cards to Block Kit and escaping text); the shell prints.
/// A channel that is a user id means a direct message to that person.
/// </summary>
public interface IChat
{
    /// <summary>Posts a message (in a thread when <paramref name="threadTs"/> is set) and returns its <c>ts</c>.</summary>
    Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken);

    /// <summary>Edits a message posted earlier.</summary>
    Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken);

    /// <summary>
    /// Posts a message tagged with <paramref name="deliveryId"/> (the outbox message's id), so that a later attempt can
    /// ask <see cref="FindPostAsync"/> whether this one landed. A chat that cannot tag posts just posts.
    /// </summary>
    Task<string> PostAsync(string channel, ChatContent content, string? threadTs, string deliveryId, CancellationToken cancellationToken) =>
        PostAsync(channel, content, threadTs, cancellationToken);

    /// <summary>
    /// The <c>ts</c> of a post tagged <paramref name="deliveryId"/> in <paramref name="channel"/> (in the thread of
    /// <paramref name="threadTs"/> when given) made after <paramref name="postedAfter"/>, or null when there is none or
    /// this chat cannot tell. The outbox asks before posting again a message whose earlier attempt may have landed
    /// (the process died after chat accepted it, or the answer was a 5xx or a timeout).
    /// </summary>
    Task<string?> FindPostAsync(string channel, string deliveryId, string? threadTs, DateTimeOffset postedAfter, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}

/// <summary>The chat service asked us to slow down; try again after <see cref="RetryAfter"/>.</summary>
public sealed class ChatRateLimitedException(TimeSpan retryAfter)
    : Exception($"Rate limited; retry after {retryAfter.TotalSeconds:0.#} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Delivery failed. <see cref="Transient"/> failures (5xx, timeouts) are worth retrying; permanent
/// ones (e.g. <c>channel_not_found</c>) are not.
/// </summary>
public sealed class ChatDeliveryException(string errorCode, bool transient, Exception? inner = null)
    : Exception($"Chat delivery failed: {errorCode}", inner)
{
    public string ErrorCode { get; } = errorCode;
    public bool Transient { get; } = transient;
}
