using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;

namespace Bot.Commands.Changes;

/// <summary>
/// Builds what a deploy does from the live state: the alias's current version, both versions' code hashes and
/// releases, and — for prod — the staging-first rule (staging must already run the same code, unless the change is an
/// Emergency). With <c>publish</c> it first publishes what <c>$LATEST</c> holds, conditional on its code hash, which
/// changes nothing that serves traffic. Used by <c>/sb deploy</c> and the <c>/sb change new</c> form.
/// </summary>
public sealed class DeployPlanner(ICloud cloud, ILambdaClient lambda)
{
    public async Task PlanAsync(ChangeTarget target, string? version, bool publish, ChangeData data, string userName, CancellationToken cancellationToken)
    {
        var alias = await ChangeReads.ReadAsync($"the {ChangeTarget.Alias} alias of `{target.Function}`", () => cloud.GetAliasAsync(target.Function, ChangeTarget.Alias, cancellationToken));
        var from = await ChangeReads.VersionAsync(cloud, target.Function, alias.Version, cancellationToken);
        var to = publish
            ? await PublishAsync(target.Function, data.Reason, userName, cancellationToken)
            : await ChangeReads.VersionAsync(cloud, target.Function, version ?? throw new UsageException("Which version?"), cancellationToken);
        if (to.Version == from.Version)
            throw new UserFacingException($":information_source: `{target.Function}` {ChangeTarget.Alias} already points at version {to.Version}; nothing to deploy.");

        if (target.IsProduction) data.StagingNote = await StagingCheckAsync(target, to, data.Category, cancellationToken);
        data.StagingFunction = target.StagingFunction;
        data.Spec = ChangeSpec.AliasMove(ChangeKind.Deploy, target.Environment, target.Function, ChangeTarget.Alias, from, to);
    }

    /// <summary>Publishes <c>$LATEST</c> on its current code hash and revision; Lambda returns the existing version when that code is already published.</summary>
    private async Task<VersionInfo> PublishAsync(string function, string reason, string user, CancellationToken cancellationToken)
    {
        var latest = await AwsFailures.Guard($"reading `$LATEST` of `{function}`", () => lambda.GetFunctionConfigurationAsync(function, null, cancellationToken));
        var release = string.IsNullOrWhiteSpace(latest.Description) ? $"published by @{user}" + (reason.Length > 0 ? $": {reason}" : "") : latest.Description;
        var published = await AwsFailures.Guard($"publishing `$LATEST` of `{function}`", () => lambda.PublishVersionAsync(function, new PublishVersionRequest
        {
            CodeSha256 = latest.CodeSha256,
            RevisionId = latest.RevisionId,
            Description = release.Length > 256 ? release[..256] : release,
        }, cancellationToken));
        return new VersionInfo(function, published.Version ?? "?", published.CodeSha256 ?? "", published.Description);
    }

    /// <summary>Prod gets code that staging already runs; an Emergency may skip the check (and the card says so).</summary>
    private async Task<string> StagingCheckAsync(ChangeTarget target, VersionInfo to, ChangeCategory category, CancellationToken cancellationToken)
    {
        if (target.StagingFunction is not { } staging)
        {
            if (category == ChangeCategory.Emergency) return "no staging counterpart; Emergency";
            throw new UserFacingException($":no_entry: I can't find `{target.Function}` in staging to check it ran there first. Deploy to production only code staging runs, or request an Emergency change.");
        }
        var stagingAlias = await ChangeReads.ReadAsync($"the {ChangeTarget.Alias} alias of `{staging}`", () => cloud.GetAliasAsync(staging, ChangeTarget.Alias, cancellationToken));
        var stagingCode = await ChangeReads.VersionAsync(cloud, staging, stagingAlias.Version, cancellationToken);
        if (stagingCode.CodeSha256 == to.CodeSha256) return $"staging runs the same code (v{stagingCode.Version} of {staging})";
        if (category == ChangeCategory.Emergency) return $"NOT in staging (Emergency): staging runs v{stagingCode.Version}, other code";
        throw new UserFacingException(
            $":no_entry: Version {to.Version} of `{target.Function}` (code `{Short(to.CodeSha256)}`) is not what staging runs (`{staging}` {ChangeTarget.Alias} → v{stagingCode.Version}, code `{Short(stagingCode.CodeSha256)}`). " +
            $"Deploy it to staging and test it first (`/sb deploy {staging} --publish`, then `/sb invoke {staging}`), or request an Emergency change with `--category emergency`. Nothing was requested.");
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
