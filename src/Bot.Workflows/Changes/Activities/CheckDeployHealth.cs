using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>Counts the errors of the newly deployed version since the deploy (read-only).</summary>
public sealed record CheckDeployHealth(string Function, string Version, DateTimeOffset Since, DateTimeOffset Until) : Activity
{
    public override string Describe() => $"count errors of {Function} version {Version}";
}

/// <summary>The count, for the change to compare with its threshold.</summary>
public sealed record HealthReading(long Errors);

public sealed class CheckDeployHealthHandler(ICloud cloud) : ActivityHandler<CheckDeployHealth>
{
    protected override Task<LiveCheck> CheckAsync(CheckDeployHealth activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(CheckDeployHealth a, CancellationToken cancellationToken)
    {
        var errors = await cloud.CountErrorsAsync(a.Function, a.Version, a.Since, a.Until, cancellationToken);
        return new ActivityResult($"{errors} error(s) of version {a.Version} since the deploy", JsonSerializer.Serialize(new HealthReading(errors)));
    }
}
