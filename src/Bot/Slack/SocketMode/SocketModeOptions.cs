namespace Bot.Slack.SocketMode;

/// <summary>
/// How the Socket Mode client keeps its connections, bound from <c>Slack:SocketMode</c>
/// (<c>Slack__SocketMode__Connections</c> …). The defaults suit production.
/// </summary>
public sealed class SocketModeOptions
{
    public const string Section = "Slack:SocketMode";

    /// <summary>Connections kept open at once (Slack allows up to 10 per app): with two, a refresh or a drop of one never leaves the bot deaf.</summary>
    public int Connections { get; set; } = 2;

    /// <summary>How often a WebSocket ping is sent to Slack.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a ping may go unanswered before the connection counts as dead (half-open) and is replaced.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new connection may take to say <c>hello</c> before it counts as failed.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait after a failed connection; it doubles (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an instance in Socket Mode may have no connection open before it reports itself Unhealthy (on
    /// <c>/readyz</c> and on <c>/healthz</c>, which the container's health check asks); Degraded until then.
    /// </summary>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(2);

    public bool IsValid() =>
        Connections is >= 1 and <= 10 && PingInterval > TimeSpan.Zero && PingTimeout > TimeSpan.Zero && HelloTimeout > TimeSpan.Zero
        && InitialBackoff > TimeSpan.Zero && MaxBackoff >= InitialBackoff && UnhealthyAfter > TimeSpan.Zero;

    /// <summary>The wait before attempt <paramref name="failures"/>+1: the initial backoff doubled per failure, capped, ±20 % jitter.</summary>
    public TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, InitialBackoff.TotalSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 20)));
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }
}
