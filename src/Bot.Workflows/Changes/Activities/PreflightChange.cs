using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// Before an approved change runs: the live state must still be what the approvers saw (the alias at the version the
/// card showed, both versions' code unchanged, the function's settings at the revision read at the request, the
/// concurrency as it was), and a prod deploy must still have staging running the same code unless it is an Emergency.
/// Nothing is changed; the result carries the error baseline for verification.
/// </summary>
public sealed record PreflightChange(ChangeSpec Spec, string? StagingFunction, TimeSpan BaselineWindow, DateTimeOffset At) : Activity
{
    public override string Describe() => $"check the live state before: {Spec.Describe()}";
}

/// <summary>What the preflight found, for the change.</summary>
public sealed record PreflightResult(long BaselineErrors);

public sealed class PreflightChangeHandler(ICloud cloud) : ActivityHandler<PreflightChange>
{
    protected override async Task<LiveCheck> CheckAsync(PreflightChange a, CancellationToken cancellationToken)
    {
        var spec = a.Spec;
        switch (spec.Kind)
        {
            case ChangeKind.Deploy or ChangeKind.Rollback:
                var alias = await cloud.GetAliasAsync(spec.Function, spec.Alias, cancellationToken);
                if (alias.Version != spec.FromVersion)
                    return LiveCheck.Differs("AliasMoved", $"{spec.Alias} of {spec.Function} points at version {alias.Version} now, not {spec.FromVersion} as approved; nothing was changed.");
                var to = await cloud.GetVersionAsync(spec.Function, spec.ToVersion!, cancellationToken);
                if (to.CodeSha256 != spec.ToCodeSha256)
                    return LiveCheck.Differs("CodeChanged", $"version {spec.ToVersion} of {spec.Function} has code {Short(to.CodeSha256)}, not {Short(spec.ToCodeSha256)} as approved; nothing was changed.");
                if (a.StagingFunction is { } staging)
                {
                    var stagingAlias = await cloud.GetAliasAsync(staging, spec.Alias, cancellationToken);
                    var stagingCode = await cloud.GetVersionAsync(staging, stagingAlias.Version, cancellationToken);
                    if (stagingCode.CodeSha256 != spec.ToCodeSha256)
                        return LiveCheck.Differs("NotInStaging", $"staging ({staging}) no longer runs this code (it runs {Short(stagingCode.CodeSha256)}); deploy and test it there first, or request an Emergency change. Nothing was changed.");
                }
                return LiveCheck.Go;
            case ChangeKind.ReservedConcurrency:
                var reserved = await cloud.GetReservedConcurrencyAsync(spec.Function, cancellationToken);
                return reserved == spec.ConcurrencyFrom ? LiveCheck.Go
                    : LiveCheck.Differs("ConcurrencyChanged", $"reserved concurrency of {spec.Function} is {Show(reserved)} now, not {Show(spec.ConcurrencyFrom)} as approved; nothing was changed.");
            case ChangeKind.ProvisionedConcurrency:
                var provisioned = await cloud.GetProvisionedConcurrencyAsync(spec.Function, spec.Alias, cancellationToken);
                return provisioned == spec.ConcurrencyFrom ? LiveCheck.Go
                    : LiveCheck.Differs("ConcurrencyChanged", $"provisioned concurrency of {spec.Function}:{spec.Alias} is {Show(provisioned)} now, not {Show(spec.ConcurrencyFrom)} as approved; nothing was changed.");
            default:
                var settings = await cloud.GetSettingsAsync(spec.Function, cancellationToken);
                return settings.RevisionId == spec.SettingsRevisionId ? LiveCheck.Go
                    : LiveCheck.Differs("ConfigurationChanged", $"the configuration of {spec.Function} changed since this change was requested (revision {Short(settings.RevisionId)}, not {Short(spec.SettingsRevisionId)}); request it again. Nothing was changed.");
        }
    }

    protected override async Task<ActivityResult> RunAsync(PreflightChange a, CancellationToken cancellationToken)
    {
        var baseline = a.Spec.MovesAlias
            ? await cloud.CountErrorsAsync(a.Spec.Function, null, a.At - a.BaselineWindow, a.At, cancellationToken)
            : 0;
        return new ActivityResult($"the live state matches the approval; {baseline} error(s) in the {a.BaselineWindow.TotalMinutes:0} minutes before",
            JsonSerializer.Serialize(new PreflightResult(baseline)));
    }

    internal static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "(none)";

    internal static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
