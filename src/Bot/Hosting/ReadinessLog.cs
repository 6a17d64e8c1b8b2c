using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Hosting;

/// <summary>
/// Each time readiness is evaluated in the background (every <see cref="Operations.OperationsOptions.ReadinessLogInterval"/>),
/// one line: <c>Readiness {Readiness}: {ReadinessChecks}</c>, the status (<c>Healthy</c>, <c>Degraded</c>, or
/// <c>Unhealthy</c>, which is <c>/readyz</c>'s 503) and the names of the checks that are not Healthy, comma-separated.
/// The stack's <c>readiness</c> alarm counts the Unhealthy ones through a log metric filter, so it needs no load
/// balancer to ask <c>/readyz</c> (deploy/aws; tests/Bot.Tests/Deploy/LogMetricFilterTests.cs).
/// </summary>
public sealed class ReadinessLog(ILogger<ReadinessLog> logger) : IHealthCheckPublisher
{
    public const string Template = "Readiness {Readiness}: {ReadinessChecks}";

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var failing = string.Join(",", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).Order(StringComparer.Ordinal));
        var level = report.Status == HealthStatus.Healthy ? LogLevel.Information : LogLevel.Warning;
#pragma warning disable CA2254 // one template, named for the tests and the metric filter that read it
        logger.Log(level, Template, report.Status.ToString(), failing);
#pragma warning restore CA2254
        return Task.CompletedTask;
    }
}
