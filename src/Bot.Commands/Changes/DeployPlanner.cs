using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// Builds what a deploy does from the live state: the alias's current version and routing, both versions' code hashes
/// and releases, and — for prod — the staging-first rule (staging must already run the same code, unless the change is
/// an Emergency). With <c>publish</c> the staging check runs against <c>$LATEST</c>'s code hash first, and only code that
/// passes is published (conditional on that hash and revision; publishing changes nothing that serves traffic). An alias
/// that splits its traffic is moved only with <c>--clear-weights</c>. Used by <c>/sb deploy</c> and the change form.
/// </summary>
public sealed class DeployPlanner(ICloud cloud, ILambdaClient lambda)
{
    public async Task PlanAsync(ChangeTarget target, string? version, bool publish, ChangeData data, string userName, CancellationToken cancellationToken, bool clearWeights = false)
    {
        var alias = await ChangeReads.ReadAsync(Line.Of($"the {ChangeTarget.Alias} alias of ", Code(target.Function)), () => cloud.GetAliasAsync(target.Function, ChangeTarget.Alias, cancellationToken));
        ChangeFlags.CheckWeights(alias, clearWeights, "deploy");
        var from = await ChangeReads.VersionAsync(cloud, target.Function, alias.Version, cancellationToken);
        VersionInfo to;
        if (publish)
        {
            var latest = await AwsFailures.Guard(Line.Of("reading ", Code("$LATEST"), " of ", Code(target.Function)), () => lambda.GetFunctionConfigurationAsync(target.Function, null, cancellationToken));
            // The staging check comes first: code that may not go to production is never published as a version here.
            if (target.IsProduction) data.StagingNote = await StagingCheckAsync(target, latest.CodeSha256 ?? "", "$LATEST", data.Category, cancellationToken);
            to = await PublishAsync(target.Function, latest, data.Reason, userName, cancellationToken);
        }
        else
        {
            to = await ChangeReads.VersionAsync(cloud, target.Function, version ?? throw new UsageException("Which version?"), cancellationToken);
            if (target.IsProduction && to.Version != from.Version) data.StagingNote = await StagingCheckAsync(target, to.CodeSha256, $"Version {to.Version}", data.Category, cancellationToken);
        }
        if (to.Version == from.Version)
            throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(target.Function), $" {ChangeTarget.Alias} already points at version {to.Version}; nothing to deploy."));

        data.StagingFunction = target.StagingFunction;
        data.Spec = ChangeSpec.AliasMove(ChangeKind.Deploy, target.Environment, target.Function, ChangeTarget.Alias, from, to);
        data.Spec.FromWeights = alias.Weights.Count > 0 ? new Dictionary<string, double>(alias.Weights) : null;
    }

    private static string Release(FunctionConfiguration latest, string reason, string user) =>
        string.IsNullOrWhiteSpace(latest.Description) ? $"published by @{user}" + (reason.Length > 0 ? $": {reason}" : "") : latest.Description;

    /// <summary>Publishes <c>$LATEST</c> on the code hash and revision read; Lambda returns the existing version when that code is already published.</summary>
    private async Task<VersionInfo> PublishAsync(string function, FunctionConfiguration latest, string reason, string user, CancellationToken cancellationToken)
    {
        var release = Release(latest, reason, user);
        var published = await AwsFailures.Guard(Line.Of("publishing ", Code("$LATEST"), " of ", Code(function)), () => lambda.PublishVersionAsync(function, new PublishVersionRequest
        {
            CodeSha256 = latest.CodeSha256,
            RevisionId = latest.RevisionId,
            Description = release.Length > 256 ? release[..256] : release,
        }, cancellationToken));
        return new VersionInfo(function, published.Version ?? "?", published.CodeSha256 ?? "", published.Description);
    }

    /// <summary>Prod gets code that staging already runs; an Emergency may skip the check (and the card says so).</summary>
    private async Task<string> StagingCheckAsync(ChangeTarget target, string codeSha256, string what, ChangeCategory category, CancellationToken cancellationToken)
    {
        if (target.StagingFunction is not { } staging)
        {
            if (category == ChangeCategory.Emergency) return "no staging counterpart; Emergency";
            throw new ChangeRefusedException("staging-first", Line.Of(Emoji("no_entry"), " I can't find ", Code(target.Function),
                " in staging to check it ran there first. Deploy to production only code staging runs, or request an Emergency change."));
        }
        var stagingAlias = await ChangeReads.ReadAsync(Line.Of($"the {ChangeTarget.Alias} alias of ", Code(staging)), () => cloud.GetAliasAsync(staging, ChangeTarget.Alias, cancellationToken));
        var stagingCode = await ChangeReads.VersionAsync(cloud, staging, stagingAlias.Version, cancellationToken);
        if (stagingCode.CodeSha256 == codeSha256) return $"staging runs the same code (v{stagingCode.Version} of {staging})";
        if (category == ChangeCategory.Emergency) return $"NOT in staging (Emergency): staging runs v{stagingCode.Version}, other code";
        throw new ChangeRefusedException("staging-first", Line.Of(
            Emoji("no_entry"), $" {what} of ", Code(target.Function), " (code ", Code(Short(codeSha256)), ") is not what staging runs (", Code(staging),
            $" {ChangeTarget.Alias} → v{stagingCode.Version}, code ", Code(Short(stagingCode.CodeSha256)), "). Deploy it to staging and test it first (",
            Code($"/sb deploy {staging} --publish"), ", then ", Code($"/sb invoke {staging}"), "), or request an Emergency change with ", Code("--category emergency"),
            ". Nothing was requested", what == "$LATEST" ? " (and nothing was published)." : "."));
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
