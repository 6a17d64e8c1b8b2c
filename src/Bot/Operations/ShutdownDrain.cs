using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Operations;

/// <summary>
/// The first step of a graceful shutdown: <c>/readyz</c> goes unready (503) and stays so for
/// <see cref="OperationsOptions.DrainDelay"/> while the bot still serves, so a load balancer stops sending it requests
/// before the server stops taking them. Then the host stops the rest in reverse start order: the HTTP server (in-flight
/// requests finish), Socket Mode (connections closed, so Slack sends to the other instances), the Slack work queue
/// (queued work runs), and the activity runner, outbox sender and timer pump (what is under way finishes, what was
/// claimed and not started is given back).
/// </summary>
public sealed class ShutdownDrain : IHostedLifecycleService, IHealthCheck
{
    public const string Name = "accepting-work";

    private readonly IOptions<OperationsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ShutdownDrain> _logger;
    private volatile bool _draining;

    public ShutdownDrain(IOptions<OperationsOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ShutdownDrain> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        // The signal to stop (SIGTERM) comes before the host stops anything: readiness turns at once.
        lifetime.ApplicationStopping.Register(() => _draining = true);
    }

    /// <summary>True from the moment shutdown began.</summary>
    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = _options.Value.DrainDelay;
        _logger.LogInformation("Shutting down: /readyz now answers 503; still serving for {Delay}", delay);
        if (delay <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy("accepting work"));

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
