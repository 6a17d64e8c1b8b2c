using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Microsoft.Extensions.Options;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb deploy &lt;function&gt; &lt;version&gt;|--publish …</c>: a change that points the function's <c>PROD</c> alias at a
/// published version (see <see cref="DeployPlanner"/> for how it is built from the live state and the staging rule).
/// </summary>
public sealed class DeployCommand(DeployPlanner planner, ChangeRequester requester, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "deploy",
        Summary = "Request a deploy: point a function's PROD alias at a published version (prod needs a second person's approval).",
        Usage = "/sb deploy <function> <version>|--publish [--clear-weights] [--env prod|staging] [--reason \"…\"] [--category standard|emergency|major] [--incident <id>]",
        MaxPositionals = 2,
        Flags = [new FlagSpec("publish", "Publish $LATEST as a new version and deploy that (prod: only code staging already runs is published).", TakesValue: false), ChangeFlags.ClearWeights, .. ChangeFlags.All],
        Examples =
        [
            "/sb deploy user-management --publish --env staging --reason \"test 1.8.0\"",
            "/sb deploy user-management 8 --reason \"ship 1.8.0\"",
            "/sb deploy session-management 12 --category emergency --incident P1ABCDE --reason \"fix login outage\"",
        ],
        ChangesState = true,
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) => requester.AuditedAsync(context, async () =>
    {
        var args = context.Arguments;
        var target = ChangeTarget.Resolve(options.Value, args.Positional(0), args.Flag("env"));
        var publish = args.Has("publish");
        if (publish == (args.Positional(1) is not null))
            throw new UsageException(Line.Of("Give either a published version number or ", Code("--publish"), "."));

        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        // The rules first: nothing is published for a request that would be refused.
        data.Spec.Function = target.Function;
        if (await requester.CheckRulesAsync(context.User, context.Request.RequestId, data, cancellationToken)) return;
        await planner.PlanAsync(target, args.Positional(1), publish, data, context.User.UserName, cancellationToken, clearWeights: args.Has(ChangeFlags.ClearWeights.Name));
        await requester.SubmitAsync(context, data, cancellationToken);
    }, cancellationToken);
}
