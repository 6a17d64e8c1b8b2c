using Bot.Commands.Aws;
using Bot.Commands.Aws.Lambda;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb deploy &lt;function&gt; &lt;version&gt;|--publish …</c>: a change that points the function's <c>PROD</c> alias at a
/// published version. Built from the live state: the alias's current version, both versions' code hashes and
/// releases. A version goes to prod only when staging already runs the same code, unless the change is an Emergency.
/// <c>--publish</c> first publishes what <c>$LATEST</c> holds (conditional on its code hash), which changes nothing
/// that serves traffic.
/// </summary>
public sealed class DeployCommand(ICloud cloud, ILambdaClient lambda, ChangeRequester requester, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "deploy",
        Summary = "Request a deploy: point a function's PROD alias at a published version (prod needs a second person's approval).",
        Usage = "/sb deploy <function> <version>|--publish [--env prod|staging] [--reason \"…\"] [--category standard|emergency|major] [--incident <id>]",
        MaxPositionals = 2,
        Flags = [new FlagSpec("publish", "Publish $LATEST as a new version first and deploy that.", TakesValue: false), .. ChangeFlags.All],
        Examples =
        [
            "/sb deploy user-management --publish --env staging --reason \"test 1.8.0\"",
            "/sb deploy user-management 8 --reason \"ship 1.8.0\"",
            "/sb deploy session-management 12 --category emergency --incident P1ABCDE --reason \"fix login outage\"",
        ],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var target = ChangeTarget.Resolve(options.Value, args.Positional(0), args.Flag("env"));
        var publish = args.Has("publish");
        if (publish == (args.Positional(1) is not null))
            throw new UsageException("Give either a published version number or `--publish`.");

        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);

        var alias = await ChangeReads.ReadAsync($"the {ChangeTarget.Alias} alias of `{target.Function}`", () => cloud.GetAliasAsync(target.Function, ChangeTarget.Alias, cancellationToken));
        var from = await ChangeReads.VersionAsync(cloud, target.Function, alias.Version, cancellationToken);
        var to = publish
            ? await PublishAsync(target.Function, data.Reason, context.User.UserName, cancellationToken)
            : await ChangeReads.VersionAsync(cloud, target.Function, args.Positional(1)!, cancellationToken);
        if (to.Version == from.Version)
            throw new UserFacingException($":information_source: `{target.Function}` {ChangeTarget.Alias} already points at version {to.Version}; nothing to deploy.");

        if (target.IsProduction) data.StagingNote = await StagingCheckAsync(target, to, data.Category, cancellationToken);
        data.StagingFunction = target.StagingFunction;
        data.Spec = new ChangeSpec
        {
            Kind = ChangeKind.Deploy,
            Environment = target.Environment,
            Function = target.Function,
            Alias = ChangeTarget.Alias,
            FromVersion = from.Version,
            ToVersion = to.Version,
            FromCodeSha256 = from.CodeSha256,
            ToCodeSha256 = to.CodeSha256,
            FromDescription = from.Description,
            ToDescription = to.Description,
        };
        await requester.SubmitAsync(context, data, cancellationToken);
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
