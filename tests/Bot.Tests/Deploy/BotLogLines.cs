using Bot.Testing;
using Bot.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Bot.Tests.Deploy;

/// <summary>
/// Log lines as the deployed bot writes them: one JSON object per line from .NET's JSON console formatter, configured
/// as the bot configures it (OperationsHosting.AddObservability), and what the ECS log driver sends to CloudWatch Logs.
/// </summary>
public static class BotLogLines
{
    /// <summary>
    /// Once a minute, each instance's view of the outbox, from the store (Bot.Operations.OutboxReport logs it).
    /// <c>OutboxBacklog</c> and <c>DeadLetters</c> are the counts <c>/sb status</c> shows; <c>OutboxOldestAgeSeconds</c>
    /// is how long the oldest undelivered outbox message has waited (0 when none waits). All three are integers.
    /// </summary>
    public const string OutboxTemplate = "Outbox backlog {OutboxBacklog}, oldest {OutboxOldestAgeSeconds} s, dead letters {DeadLetters}";

    /// <summary>
    /// Each time readiness is evaluated (Bot.Hosting.ReadinessLog, a health-check publisher, every 30 s), its
    /// status — <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c> (HealthStatus.ToString(), Unhealthy is /readyz's 503) —
    /// and the names of the checks that are not Healthy, comma-separated (empty when none).
    /// </summary>
    public const string ReadinessTemplate = "Readiness {Readiness}: {ReadinessChecks}";

    private static readonly ConsoleFormatter Json = new ServiceCollection()
        .AddLogging(logging => logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        }))
        .BuildServiceProvider()
        .GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);

    /// <summary>The line <c>logger.Log(level, template, args)</c> writes, for a logger of <paramref name="category"/>.</summary>
    public static string Format(string category, LogLevel level, string template, params object?[] args)
    {
        using var output = new StringWriter();
        var logger = new Writer(category, output);
#pragma warning disable CA2254 // the template is the point of the test
        logger.Log(level, template, args);
#pragma warning restore CA2254
        return output.ToString().TrimEnd('\r', '\n');
    }

    private sealed class Writer(string category, TextWriter output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Json.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, output);
    }
}
