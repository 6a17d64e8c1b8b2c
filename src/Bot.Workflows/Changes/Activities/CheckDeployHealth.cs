using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// Counts invocations and errors through the alias (whatever versions it routes to) in the whole metric periods from
/// <see cref="Since"/> to <see cref="Until"/>, and looks at the rollback alarms (read-only).
/// </summary>
public sealed record CheckDeployHealth(string Function, string Alias, DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<string> Alarms, DateTimeOffset AppliedAt) : Activity
{
    public override string Describe() => $"count invocations and errors of {Function}:{Alias} since the move";
}

/// <summary>What the watch read, for the change to compare with the pre-deploy rate.</summary>
public sealed record HealthReading(long Invocations, long Errors, IReadOnlyList<string> AlarmsInAlarm);

public sealed class CheckDeployHealthHandler(ICloud cloud) : ActivityHandler<CheckDeployHealth>
{
    protected override Task<LiveCheck> CheckAsync(CheckDeployHealth activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(CheckDeployHealth a, CancellationToken cancellationToken)
    {
        var counts = a.Until > a.Since
            ? cloud.CountInvocationsAsync(a.Function, a.Alias, null, a.Since, a.Until, cancellationToken)
            : Task.FromResult(InvocationCounts.None);
        var alarms = a.Alarms.Count > 0 ? cloud.AlarmsEnteredAsync(a.Alarms, a.AppliedAt, cancellationToken) : Task.FromResult<IReadOnlyList<string>>([]);
        await Task.WhenAll(counts, alarms);
        var reading = new HealthReading(counts.Result.Invocations, counts.Result.Errors, alarms.Result);
        return new ActivityResult($"{reading.Errors} error(s) in {reading.Invocations} invocation(s) since the move" +
            (reading.AlarmsInAlarm.Count > 0 ? $"; in ALARM: {string.Join(", ", reading.AlarmsInAlarm)}" : ""),
            JsonSerializer.Serialize(reading, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}
