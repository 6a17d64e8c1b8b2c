using System.Reflection;

namespace Bot.Operations;

/// <summary>This running process: its id in heartbeats, its host, the bot's version and when it started.</summary>
public sealed class BotInstance(TimeProvider time)
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
    public string Host { get; } = Environment.MachineName;
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>The informational version of the bot's assembly (e.g. <c>1.0.0+commit</c>).</summary>
    public static string Version { get; } =
        typeof(BotInstance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BotInstance).Assembly.GetName().Version?.ToString() ?? "unknown";

    public TimeSpan Uptime(DateTimeOffset now) => now - StartedAt;
}
