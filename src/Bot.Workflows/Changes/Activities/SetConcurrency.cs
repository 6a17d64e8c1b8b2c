using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>Sets reserved concurrency (no alias) or provisioned concurrency on an alias; null removes it.</summary>
public sealed record SetConcurrency(string Function, string? Alias, int? From, int? To) : Activity
{
    public override string Describe() => Alias is null
        ? $"set reserved concurrency of {Function} from {PreflightChangeHandler.Show(From)} to {PreflightChangeHandler.Show(To)}"
        : $"set provisioned concurrency of {Function}:{Alias} from {PreflightChangeHandler.Show(From)} to {PreflightChangeHandler.Show(To)}";
}

public sealed class SetConcurrencyHandler(ICloud cloud) : ActivityHandler<SetConcurrency>
{
    protected override async Task<LiveCheck> CheckAsync(SetConcurrency a, CancellationToken cancellationToken)
    {
        var now = await ReadAsync(a, cancellationToken);
        if (now == a.To) return LiveCheck.Done($"it is already {PreflightChangeHandler.Show(a.To)}");
        if (now == a.From) return LiveCheck.Go;
        return LiveCheck.Differs("ConcurrencyChanged", $"it is {PreflightChangeHandler.Show(now)} now, not {PreflightChangeHandler.Show(a.From)}; someone else changed it. Nothing was changed.");
    }

    protected override async Task<ActivityResult> RunAsync(SetConcurrency a, CancellationToken cancellationToken)
    {
        if (a.Alias is null) await cloud.SetReservedConcurrencyAsync(a.Function, a.To, cancellationToken);
        else await cloud.SetProvisionedConcurrencyAsync(a.Function, a.Alias, a.To, cancellationToken);
        return new ActivityResult($"{a.Describe()}: done");
    }

    private Task<int?> ReadAsync(SetConcurrency a, CancellationToken cancellationToken) => a.Alias is null
        ? cloud.GetReservedConcurrencyAsync(a.Function, cancellationToken)
        : cloud.GetProvisionedConcurrencyAsync(a.Function, a.Alias, cancellationToken);
}
