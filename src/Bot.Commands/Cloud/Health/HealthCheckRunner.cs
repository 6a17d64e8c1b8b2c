using Bot.Integrations.Aws;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Cloud.Health;

public enum ProbeStatus { Ok, Warning, Failed }

/// <summary>What one area of the health check found: a one-line summary and detail lines.</summary>
public sealed record ProbeResult(string Area, ProbeStatus Status, Line Summary, IReadOnlyList<Line> Details)
{
    public TimeSpan Elapsed { get; init; }

    /// <summary>The failure behind a Failed result (never shown; used to spot a shared cause such as missing credentials).</summary>
    public Exception? Error { get; init; }

    public static ProbeResult Ok(string area, Line summary, IReadOnlyList<Line>? details = null) => new(area, ProbeStatus.Ok, summary, details ?? []);
    public static ProbeResult Warning(string area, Line summary, IReadOnlyList<Line>? details = null) => new(area, ProbeStatus.Warning, summary, details ?? []);
    public static ProbeResult Failed(string area, Line summary, IReadOnlyList<Line>? details = null) => new(area, ProbeStatus.Failed, summary, details ?? []);
}

/// <summary>One area to check, and how.</summary>
public sealed record HealthProbe(string Area, Func<CancellationToken, Task<ProbeResult>> Run);

/// <summary>All areas' results, in the order the probes were given.</summary>
public sealed record HealthReport(string Environment, DateTimeOffset StartedAt, TimeSpan Elapsed, IReadOnlyList<ProbeResult> Results)
{
    public int Warnings => Results.Count(r => r.Status == ProbeStatus.Warning);
    public int Failures => Results.Count(r => r.Status == ProbeStatus.Failed);
    public ProbeStatus Overall => Failures > 0 ? ProbeStatus.Failed : Warnings > 0 ? ProbeStatus.Warning : ProbeStatus.Ok;
}

/// <summary>
/// Runs every probe at once, each under its own timeout, so a slow or failing service shows up as
/// ⚠️ (too slow) or ❌ (failed, with the reason) and never holds up the others.
/// </summary>
public sealed class HealthCheckRunner(TimeProvider time, ILogger<HealthCheckRunner> logger)
{
    public async Task<HealthReport> RunAsync(string environment, IReadOnlyList<HealthProbe> probes, TimeSpan probeTimeout, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var stopwatch = time.GetTimestamp();
        var results = await Task.WhenAll(probes.Select(p => RunOneAsync(p, probeTimeout, cancellationToken)));
        return new HealthReport(environment, started, time.GetElapsedTime(stopwatch), results);
    }

    private async Task<ProbeResult> RunOneAsync(HealthProbe probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var begin = time.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // Start the probe off this thread so a probe that blocks before its first await cannot delay the rest.
            var task = Task.Run(() => probe.Run(cts.Token), CancellationToken.None);
            // WaitAsync returns at the deadline even if the probe ignores its token.
            var result = await task.WaitAsync(timeout, time, cancellationToken);
            return result with { Elapsed = time.GetElapsedTime(begin) };
        }
        catch (TimeoutException)
        {
            await cts.CancelAsync();
            return ProbeResult.Warning(probe.Area, $"no answer within {timeout.TotalSeconds:0.#} s") with { Elapsed = time.GetElapsedTime(begin) };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var reason = AwsFailures.ShortReason(e);
            if (reason is null)
            {
                logger.LogWarning(e, "Health probe {Area} failed", probe.Area);
                reason = "check failed (" + e.GetType().Name + ")";
            }
            else if (e is AwsTimeoutException)
            {
                return ProbeResult.Warning(probe.Area, reason) with { Elapsed = time.GetElapsedTime(begin), Error = e };
            }
            return ProbeResult.Failed(probe.Area, reason) with { Elapsed = time.GetElapsedTime(begin), Error = e };
        }
    }
}
