using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Aws.SecretsManager;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Secrets;

/// <summary>
/// <c>/sb secrets [env]</c>: every <c>securebase-&lt;env&gt;-*</c> secret in Secrets Manager (ListSecrets) with its rotation
/// settings, dates and age against the procedures' schedule, worst first. Never a value.
/// </summary>
public sealed class SecretsCommand(ISecretsManagerClient secrets, IOptions<SecureBaseOptions> secureBase, IOptions<SecurityOptions> security, TimeProvider time) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "secrets",
        Summary = "Secrets Manager secrets of an environment: rotation, last rotated, age against the schedule (never a value).",
        Usage = "/sb secrets [env]",
        MaxPositionals = 1,
        Examples = ["/sb secrets", "/sb secrets staging"],
        Roles = security.Value.Viewers,
        RolesNeededTo = "see the secrets",
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var env = context.Arguments.Environment(secureBase.Value);
        var listed = await AwsFailures.Guard(Line.Of("listing the secrets of ", Code(env.Name)),
            () => secrets.ListSecretsAsync($"securebase-{env.Name}-", cancellationToken));
        var schedule = security.Value.Credentials;
        if (listed.Count == 0)
        {
            await context.RespondEphemeralAsync(Line.Of("Secrets Manager has no ", Code($"securebase-{env.Name}-*"), " secrets."), cancellationToken);
            return;
        }
        await context.RespondAsync(SecretsMessages.Build(env.Name, SecretAge.All(listed, time.GetUtcNow(), schedule), schedule), cancellationToken);
    }
}
