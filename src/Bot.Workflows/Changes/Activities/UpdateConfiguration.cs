using Bot.Workflows.Activities;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// Applies a configuration diff (environment variables set or unset, memory, timeout) on the revision read at the
/// request. It carries no secret value: the values of secret keys stay sealed on the change <see cref="ChangeId"/> and are
/// opened only here, just before they are applied (so nothing secret sits in the work queue).
/// </summary>
public sealed record UpdateConfiguration(
    string Function,
    string ExpectedRevisionId,
    IReadOnlyList<ConfigEdit> Edits,
    string ChangeId,
    int? MemoryMb,
    int? TimeoutSeconds) : Activity
{
    public override string Describe() => $"update the configuration of {Function} ({Edits.Count} variable(s){(MemoryMb is null ? "" : ", memory")}{(TimeoutSeconds is null ? "" : ", timeout")})";
}

public sealed class UpdateConfigurationHandler(ICloud cloud, IAggregateStore store, ValueSealer sealer) : ActivityHandler<UpdateConfiguration>
{
    protected override async Task<LiveCheck> CheckAsync(UpdateConfiguration a, CancellationToken cancellationToken)
    {
        var settings = await cloud.GetSettingsAsync(a.Function, cancellationToken);
        if (settings.RevisionId == a.ExpectedRevisionId) return LiveCheck.Go;
        if (AlreadyApplied(a, await NewValuesAsync(a, cancellationToken), settings)) return LiveCheck.Done("the configuration already shows this change");
        return LiveCheck.Differs("ConfigurationChanged", $"the configuration of {a.Function} changed since this change was requested; request it again. Nothing was changed.");
    }

    protected override async Task<ActivityResult> RunAsync(UpdateConfiguration a, CancellationToken cancellationToken)
    {
        var values = await NewValuesAsync(a, cancellationToken);
        var settings = await cloud.GetSettingsAsync(a.Function, cancellationToken);
        Dictionary<string, string>? environment = null;
        if (a.Edits.Count > 0)
        {
            environment = new Dictionary<string, string>(settings.Environment, StringComparer.Ordinal);
            foreach (var edit in a.Edits)
            {
                if (values[edit.Key] is { } value) environment[edit.Key] = value;
                else environment.Remove(edit.Key);
            }
        }
        await cloud.UpdateSettingsAsync(a.Function, new SettingsUpdate(a.MemoryMb, a.TimeoutSeconds, environment), a.ExpectedRevisionId, cancellationToken);
        return new ActivityResult($"{a.Describe()}: done");
    }

    /// <summary>The new value of each edit (null: unset), the secret ones opened from the change's sealed values.</summary>
    private async Task<Dictionary<string, string?>> NewValuesAsync(UpdateConfiguration a, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> opened = new Dictionary<string, string>();
        if (a.Edits.Any(e => e.Secret && !e.Unset))
        {
            var record = await store.LoadAsync(Change.Type, a.ChangeId, cancellationToken);
            var sealedValues = record is null ? null : ((Change)Change.Definition.Restore(record)).Data.Sealed;
            if (sealedValues is null)
                throw new PortException("SealedValuesGone", $"the secret values of change {a.ChangeId} are no longer kept (the change ended); request it again. Nothing was changed.", transient: false);
            opened = await sealer.OpenAsync(a.Function, sealedValues, cancellationToken);
        }
        return a.Edits.ToDictionary(e => e.Key, e => e.Unset ? null : e.Secret
            ? opened.TryGetValue(e.Key, out var v) ? v : throw new PortException("SealedValueMissing", $"the sealed value of {e.Key} is missing. Nothing was changed.", transient: false)
            : e.To, StringComparer.Ordinal);
    }

    private static bool AlreadyApplied(UpdateConfiguration a, IReadOnlyDictionary<string, string?> values, FunctionSettings s) =>
        (a.MemoryMb is null || s.MemoryMb == a.MemoryMb) &&
        (a.TimeoutSeconds is null || s.TimeoutSeconds == a.TimeoutSeconds) &&
        a.Edits.All(e => values[e.Key] is { } v ? s.Environment.TryGetValue(e.Key, out var live) && live == v : !s.Environment.ContainsKey(e.Key));
}
