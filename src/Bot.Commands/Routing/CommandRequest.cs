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
}
