namespace Bot.Commands.Routing;

/// <summary>Where a request came from.</summary>
public enum Transport { Slack, Shell }

/// <summary>A <c>/sb …</c> invocation, already authenticated by its transport.</summary>
public sealed record CommandRequest
{
    public required string Command { get; init; }
    public required string Text { get; init; }
    public required Actor User { get; init; }
    public required string ChannelId { get; init; }
    public string TeamId { get; init; } = "";
    public string? ResponseUrl { get; init; }
    public string? TriggerId { get; init; }
    public Transport Transport { get; init; } = Transport.Slack;
    /// <summary>An id for the request that brought this command (audit records cite it).</summary>
    public string RequestId { get; init; } = Guid.NewGuid().ToString("N");
    /// <summary>
    /// The delivery's replay key, when the request's record is all that is left to do (its answer went in the ack): the
    /// record is written only if the key was never seen, in the same write that remembers it, so a replayed copy leaves
    /// no second record.
    /// </summary>
    public string? ReplayKey { get; init; }
}
