using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb rollback &lt;function&gt; [--to &lt;version&gt;]</c>: a change that moves the <c>PROD</c> alias back, by default to the
/// published version before the current one. (Within a day of a deploy, the deploy's own card rolls it back to the
/// approved previous version with one click and no second approval.)
/// </summary>
public sealed class RollbackCommand(ICloud cloud, ChangeRequester requester, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "rollback",
        Summary = "Request a rollback: move a function's PROD alias back (default: to the version before the current one).",
        Usage = "/sb rollback <function> [--to <version>] [--env prod|staging] [--reason \"…\"] [--category …] [--incident <id>]",
        MaxPositionals = 1,
        Flags = [new FlagSpec("to", "The version to go back to (default: the published version before the current one).", ValueHint: "7"), .. ChangeFlags.All],
        Examples = ["/sb rollback user-management --reason \"errors after 1.8.0\"", "/sb rollback user-management --to 6 --category emergency --incident P1ABCDE --reason \"login failures\""],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var target = ChangeTarget.Resolve(options.Value, args.Positional(0), args.Flag("env"));
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);

        var alias = await ChangeReads.ReadAsync(Line.Of($"the {ChangeTarget.Alias} alias of ", Code(target.Function)), () => cloud.GetAliasAsync(target.Function, ChangeTarget.Alias, cancellationToken));
        var from = await ChangeReads.VersionAsync(cloud, target.Function, alias.Version, cancellationToken);
        VersionInfo to;
        if (args.Flag("to") is { } wanted)
        {
            to = await ChangeReads.VersionAsync(cloud, target.Function, wanted, cancellationToken);
        }
        else
        {
            var versions = await ChangeReads.ReadAsync(Line.Of("the versions of ", Code(target.Function)), () => cloud.ListVersionsAsync(target.Function, cancellationToken));
            to = versions.FirstOrDefault(v => long.TryParse(v.Version, out var n) && long.TryParse(from.Version, out var current) && n < current)
                 ?? throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(target.Function), $" has no published version before {from.Version} to roll back to."));
        }
        if (to.Version == from.Version)
            throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(target.Function), $" {ChangeTarget.Alias} already points at version {to.Version}."));

        data.Spec = ChangeSpec.AliasMove(ChangeKind.Rollback, target.Environment, target.Function, ChangeTarget.Alias, from, to);
        data.StagingNote = "a rollback to code that ran here before; no staging check";
        await requester.SubmitAsync(context, data, cancellationToken);
    }
}
