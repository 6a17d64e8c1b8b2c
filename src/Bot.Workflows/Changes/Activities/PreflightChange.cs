using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>A person whose approval counts, as the preflight re-reads their roles.</summary>
public sealed record ApproverRef(string UserId, string Name);

/// <summary>
/// Before an approved change runs: the stored spec still hashes to the approved digest; no freeze window forbids it; the
/// live state is what the approvers saw (the alias at the version and routing the card showed, the target version's code
/// unchanged, the function's settings at the revision read at the request, the concurrency as it was); a prod deploy
/// still has staging running the same code unless it is an Emergency; and the approvers' roles are read again. Nothing is
/// changed. The reads run side by side: one round of AWS calls. The result carries the error baseline, the alias's
/// revision (the move is conditional on it) and the roles read.
/// </summary>
public sealed record PreflightChange(
    ChangeSpec Spec,
    string Digest,
    ChangeCategory Category,
    string? StagingFunction,
    TimeSpan BaselineWindow,
    DateTimeOffset At,
    IReadOnlyList<ApproverRef> Approvers) : Activity
{
    public override string Describe() => $"check the live state before: {Spec.Describe()}";
}

/// <summary>What the preflight found, for the change.</summary>
public sealed record PreflightResult(long BaselineErrors, long BaselineInvocations, string? AliasRevisionId, Dictionary<string, List<string>> ApproverRoles);

public sealed class PreflightChangeHandler(ICloud cloud, IDirectory directory, TimeProvider time, FreezeCalendar? freezes = null) : ActivityHandler<PreflightChange>
{
    private readonly FreezeCalendar _freezes = freezes ?? FreezeCalendar.None;

    /// <summary>Nothing to look at before: the preflight changes nothing, and reads everything in <see cref="RunAsync"/>.</summary>
    protected override Task<LiveCheck> CheckAsync(PreflightChange activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(PreflightChange a, CancellationToken cancellationToken)
    {
        var spec = a.Spec;
        if (spec.Digest() != a.Digest)
            throw Differs("DigestMismatch", $"the change to run no longer hashes to its approved digest {a.Digest[..12]}; it was altered. Nothing was changed.");
        if (a.Category != ChangeCategory.Emergency && _freezes.At(time.GetUtcNow()) is { } freeze)
            throw Differs("Frozen", $"changes are frozen until {freeze.To.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({freeze.Reason}); only Emergency changes run during a freeze. Nothing was changed.");

        var roles = Task.WhenAll(a.Approvers.Select(async p => (p.UserId, Roles: await directory.RolesOfAsync(new WorkflowActor(p.UserId, p.Name), cancellationToken))));
        long baselineErrors = 0, baselineInvocations = 0;
        string? revision = null;
        switch (spec.Kind)
        {
            case ChangeKind.Deploy or ChangeKind.Rollback:
                var alias = cloud.GetAliasAsync(spec.Function, spec.Alias, cancellationToken);
                var to = cloud.GetVersionAsync(spec.Function, spec.ToVersion!, cancellationToken);
                // Staging's alias qualifier reads the version it points at, code hash included, in one call.
                var staging = a.StagingFunction is { } s ? OrNull(cloud.GetVersionAsync(s, spec.Alias, cancellationToken)) : Task.FromResult<VersionInfo?>(null);
                var baseline = cloud.CountInvocationsAsync(spec.Function, spec.Alias, null, a.At - a.BaselineWindow, a.At, cancellationToken);
                await Task.WhenAll(alias, to, staging, baseline, roles);
                if (alias.Result.Version != spec.FromVersion)
                    throw Differs("AliasMoved", $"{spec.Alias} of {spec.Function} points at version {alias.Result.Version} now, not {spec.FromVersion} as approved; nothing was changed.");
                if (!SameWeights(alias.Result.Weights, spec.FromWeights))
                    throw Differs("RoutingChanged", $"{spec.Alias} of {spec.Function} routes traffic differently now ({Weights(alias.Result.Weights)}) than when this change was approved ({Weights(spec.FromWeights)}); nothing was changed.");
                if (to.Result.CodeSha256 != spec.ToCodeSha256)
                    throw Differs("CodeChanged", $"version {spec.ToVersion} of {spec.Function} has code {Short(to.Result.CodeSha256)}, not {Short(spec.ToCodeSha256)} as approved; nothing was changed.");
                if (staging.Result is { } stagingCode && stagingCode.CodeSha256 != spec.ToCodeSha256)
                    throw Differs("NotInStaging", $"staging ({a.StagingFunction}) no longer runs this code (it runs {Short(stagingCode.CodeSha256)}); deploy and test it there first, or request an Emergency change. Nothing was changed.");
                (baselineErrors, baselineInvocations, revision) = (baseline.Result.Errors, baseline.Result.Invocations, alias.Result.RevisionId);
                break;
            case ChangeKind.ReservedConcurrency:
                var reserved = cloud.GetReservedConcurrencyAsync(spec.Function, cancellationToken);
                await Task.WhenAll(reserved, roles);
                if (reserved.Result != spec.ConcurrencyFrom)
                    throw Differs("ConcurrencyChanged", $"reserved concurrency of {spec.Function} is {Show(reserved.Result)} now, not {Show(spec.ConcurrencyFrom)} as approved; nothing was changed.");
                break;
            case ChangeKind.ProvisionedConcurrency:
                var provisioned = cloud.GetProvisionedConcurrencyAsync(spec.Function, spec.Alias, cancellationToken);
                await Task.WhenAll(provisioned, roles);
                if (provisioned.Result != spec.ConcurrencyFrom)
                    throw Differs("ConcurrencyChanged", $"provisioned concurrency of {spec.Function}:{spec.Alias} is {Show(provisioned.Result)} now, not {Show(spec.ConcurrencyFrom)} as approved; nothing was changed.");
                break;
            default:
                var settings = cloud.GetSettingsAsync(spec.Function, cancellationToken);
                await Task.WhenAll(settings, roles);
                if (settings.Result.RevisionId != spec.SettingsRevisionId)
                    throw Differs("ConfigurationChanged", $"the configuration of {spec.Function} changed since this change was requested (revision {Short(settings.Result.RevisionId)}, not {Short(spec.SettingsRevisionId)}); request it again. Nothing was changed.");
                break;
        }
        var roleMap = roles.Result.ToDictionary(r => r.UserId, r => r.Roles.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return new ActivityResult(
            spec.MovesAlias
                ? $"the live state matches the approval; {baselineErrors} error(s) in {baselineInvocations} invocation(s) in the {a.BaselineWindow.TotalMinutes:0} minutes before"
                : "the live state matches the approval",
            JsonSerializer.Serialize(new PreflightResult(baselineErrors, baselineInvocations, revision, roleMap), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    private static async Task<VersionInfo?> OrNull(Task<VersionInfo> read) => await read;

    private static PortException Differs(string code, string message) => new(code, message, transient: false);

    private static bool SameWeights(IReadOnlyDictionary<string, double> live, Dictionary<string, double>? approved)
    {
        var a = live.Where(w => w.Value > 0).OrderBy(w => w.Key, StringComparer.Ordinal).ToList();
        var b = (approved ?? []).Where(w => w.Value > 0).OrderBy(w => w.Key, StringComparer.Ordinal).ToList();
        return a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && Math.Abs(p.First.Value - p.Second.Value) < 1e-9);
    }

    private static string Weights(IEnumerable<KeyValuePair<string, double>>? weights) =>
        weights?.Where(w => w.Value > 0).Select(w => $"{ChangeSpec.Share(w.Value)} to v{w.Key}").ToList() is { Count: > 0 } list ? string.Join(", ", list) : "no weights";

    internal static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "(none)";

    internal static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
