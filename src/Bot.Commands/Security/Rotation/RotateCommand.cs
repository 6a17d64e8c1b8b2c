using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.SecretsManager;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Rotation;

/// <summary>
/// <c>/sb rotate &lt;secret&gt;</c>: the ops guide's "Rotating Secrets" as a Change. In production it needs an approver and a
/// security reviewer, two people other than the requester; once approved the bot calls RotateSecret and the thread follows
/// the new version through AWSPENDING to AWSCURRENT (or the rotation function's errors), then says which functions read the
/// secret. A secret without rotation configured, or with an unfinished rotation, is refused with what to do, and no Change.
/// </summary>
public sealed class RotateCommand(
    ISecretsManagerClient secrets,
    SecretReaders readers,
    ChangeRequester requester,
    IOptions<SecureBaseOptions> secureBase,
    IOptions<SecurityOptions> security) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "rotate",
        Summary = "Request a secret rotation (a Change: an approver and a security reviewer, then the thread follows it to AWSCURRENT).",
        Usage = "/sb rotate <secret> [--env prod|staging|dev] [--reason \"…\"] [--category standard|emergency|major] [--incident <id>]",
        MaxPositionals = 1,
        Flags = [ChangeFlags.Env, ChangeFlags.Reason, ChangeFlags.Category, ChangeFlags.Incident],
        Examples = ["/sb rotate jwt-secret --reason \"67 days old, past the 60-day schedule\"", "/sb rotate securebase-staging-api-keys"],
        ChangesState = true,
        Roles = SecurityOptions.Owners,
        RolesNeededTo = "request a secret rotation",
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var (env, name) = SecureBaseNames.Secret(secureBase.Value, args.Positional(0), args.Flag("env"));
        var live = await DescribeAsync(name, cancellationToken);
        if (!live.RotationConfigured) throw await NotConfiguredAsync(env, name, cancellationToken);
        if (live.UnfinishedVersion is { } pending)
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " An earlier rotation of ", Code(name), " is unfinished: ", Code("AWSPENDING"), " is on version ",
                Code(ChangeSpec.ShortVersion(pending)), ", which is not ", Code("AWSCURRENT"), ", so Secrets Manager refuses another. Look at ", Code(LogGroup(env, live)),
                " for why, clear it with ", Code($"aws secretsmanager update-secret-version-stage --secret-id {name} --version-stage AWSPENDING --remove-from-version-id {pending}"),
                " and ask again. No change was requested."));
        var current = live.VersionWith(SecretStages.Current)
                      ?? throw new UserFacingException(Line.Of(Emoji("warning"), " ", Code(name), " has no ", Code("AWSCURRENT"), " version; nothing to rotate. No change was requested."));

        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        var rotationFunction = FunctionName(live.RotationLambdaArn!);
        data.SecurityRelevant = true;
        data.RotationCheckEvery = security.Value.Rotation.CheckEvery;
        data.RotationTimeout = security.Value.Rotation.Timeout;
        data.Spec = new ChangeSpec
        {
            Kind = ChangeKind.SecretRotation,
            Environment = env.Name,
            Function = rotationFunction,
            Secret = live.Name ?? name,
            SecretArn = live.Arn,
            SecretVersion = current,
            RotationFunction = rotationFunction,
            RotationLogGroup = LogGroup(env, live),
            SecretReaders = [.. await readers.FindAsync(env, live.Name ?? name, live.Arn, cancellationToken)],
        };
        await requester.SubmitAsync(context, data, cancellationToken);
    }

    private async Task<SecretDescription> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets.DescribeSecretAsync(name, cancellationToken);
        }
        catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            throw new UserFacingException(Line.Of(Emoji("mag"), " Secrets Manager has no secret ", Code(name), ". ", Code("/sb secrets"), " lists them."));
        }
        catch (Exception e) when (AwsFailures.ToUserFacing(e, Line.Of("reading ", Code(name))) is { } friendly)
        {
            throw friendly;
        }
    }

    /// <summary>No rotation configured: how to configure it (with the environment's rotation function when another secret names it), and no Change.</summary>
    private async Task<UserFacingException> NotConfiguredAsync(SecureBaseEnvironment env, string name, CancellationToken cancellationToken)
    {
        var others = await AwsFailures.Guard("listing the secrets", () => secrets.ListSecretsAsync($"securebase-{env.Name}-", cancellationToken));
        var function = others.FirstOrDefault(s => s.RotationConfigured)?.RotationLambdaArn ?? $"<the ARN of securebase-{env.Name}-secret-rotation>";
        var days = security.Value.Credentials.WarnDays;
        return new UserFacingException(Line.Of(Emoji("no_entry"), " ", Code(name), " has no rotation configured, so there is nothing to run: no change was requested. ",
            "Configure it first (a rotation function that knows this kind of secret, and a schedule; the procedures rotate system keys every 60 days), e.g. ",
            Code($"aws secretsmanager rotate-secret --secret-id {name} --rotation-lambda-arn {function} --rotation-rules AutomaticallyAfterDays={days} --no-rotate-immediately"),
            ", then ask again."));
    }

    private static string FunctionName(string arn)
    {
        var parts = arn.Split(':');
        var at = Array.IndexOf(parts, "function");
        return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : arn;
    }

    private static string LogGroup(SecureBaseEnvironment env, SecretDescription live) =>
        live.RotationLambdaArn is { } arn ? env.LogGroupOf(FunctionName(arn)) : $"/aws/lambda/securebase-{env.Name}-secret-rotation";
}
