using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// Applies a configuration diff (environment variables set or unset, memory, timeout) on the revision read at the
/// request. <see cref="SealedValues"/> holds the new values of secret keys; <see cref="Describe"/> never shows them.
/// </summary>
public sealed record UpdateConfiguration(
    string Function,
    string ExpectedRevisionId,
    IReadOnlyList<ConfigEdit> Edits,
    IReadOnlyDictionary<string, string> SealedValues,
    int? MemoryMb,
    int? TimeoutSeconds) : Activity
{
    public override string Describe() => $"update the configuration of {Function} ({Edits.Count} variable(s){(MemoryMb is null ? "" : ", memory")}{(TimeoutSeconds is null ? "" : ", timeout")})";

    /// <summary>The new value of an edit (sealed for secret keys).</summary>
    public string? NewValue(ConfigEdit edit) => edit.Unset ? null : edit.Secret ? SealedValues[edit.Key] : edit.To;
}

public sealed class UpdateConfigurationHandler(ICloud cloud) : ActivityHandler<UpdateConfiguration>
{
    protected override async Task<LiveCheck> CheckAsync(UpdateConfiguration a, CancellationToken cancellationToken)
    {
        var settings = await cloud.GetSettingsAsync(a.Function, cancellationToken);
        if (settings.RevisionId == a.ExpectedRevisionId) return LiveCheck.Go;
        if (AlreadyApplied(a, settings)) return LiveCheck.Done("the configuration already shows this change");
        return LiveCheck.Differs("ConfigurationChanged", $"the configuration of {a.Function} changed since this change was requested; request it again. Nothing was changed.");
    }

    protected override async Task<ActivityResult> RunAsync(UpdateConfiguration a, CancellationToken cancellationToken)
    {
        var settings = await cloud.GetSettingsAsync(a.Function, cancellationToken);
        Dictionary<string, string>? environment = null;
        if (a.Edits.Count > 0)
        {
            environment = new Dictionary<string, string>(settings.Environment, StringComparer.Ordinal);
            foreach (var edit in a.Edits)
            {
                if (a.NewValue(edit) is { } value) environment[edit.Key] = value;
                else environment.Remove(edit.Key);
            }
        }
        await cloud.UpdateSettingsAsync(a.Function, new SettingsUpdate(a.MemoryMb, a.TimeoutSeconds, environment), a.ExpectedRevisionId, cancellationToken);
        return new ActivityResult($"{a.Describe()}: done");
    }

    private static bool AlreadyApplied(UpdateConfiguration a, FunctionSettings s) =>
        (a.MemoryMb is null || s.MemoryMb == a.MemoryMb) &&
        (a.TimeoutSeconds is null || s.TimeoutSeconds == a.TimeoutSeconds) &&
        a.Edits.All(e => a.NewValue(e) is { } v ? s.Environment.TryGetValue(e.Key, out var live) && live == v : !s.Environment.ContainsKey(e.Key));
}
