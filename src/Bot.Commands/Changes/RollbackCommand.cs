using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb rollback &lt;function&gt; [--to &lt;version&gt;]</c>: a change that moves the <c>PROD</c> alias back to an older
/// version it served before (<see cref="RollbackTargets"/>), by default the one before the current. Code that never served
/// production is a deploy, with its staging check: a rollback has none. (Within a day of a deploy, the deploy's own card
/// rolls it back with one click and no second approval, while its version is still the one live.)
/// </summary>
public sealed class RollbackCommand(ICloud cloud, ChangeRequester requester, RollbackTargets targets, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "rollback",
        Summary = "Request a rollback: move a function's PROD alias back to an older version it served before.",
        Usage = "/sb rollback <function> [--to <version>] [--clear-weights] [--env prod|staging] [--reason \"…\"] [--category …] [--incident <id>]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("to", "An older version PROD served before (the bot's changes or CloudWatch show it; default: the one before the current).", ValueHint: "7"),
            ChangeFlags.ClearWeights,
            .. ChangeFlags.All,
        ],
        Examples = ["/sb rollback user-management --reason \"errors after 1.8.0\"", "/sb rollback user-management --to 6 --category emergency --incident P1ABCDE --reason \"login failures\""],
        ChangesState = true,
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) => requester.AuditedAsync(context, async () =>
    {
        var args = context.Arguments;
        var target = ChangeTarget.Resolve(options.Value, args.Positional(0), args.Flag("env"));
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);

        var alias = await ChangeReads.ReadAsync(Line.Of($"the {ChangeTarget.Alias} alias of ", Code(target.Function)), () => cloud.GetAliasAsync(target.Function, ChangeTarget.Alias, cancellationToken));
        ChangeFlags.CheckWeights(alias, args.Has(ChangeFlags.ClearWeights.Name), "rollback");
        var from = await ChangeReads.VersionAsync(cloud, target.Function, alias.Version, cancellationToken);
        PreviouslyLive? back;
        if (args.Flag("to") is { } asked)
        {
            var wanted = (await ChangeReads.VersionAsync(cloud, target.Function, asked, cancellationToken)).Version;
            if (wanted == from.Version)
                throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(target.Function), $" {ChangeTarget.Alias} already points at version {wanted}; nothing to roll back."));
            if (!RollbackTargets.IsOlder(wanted, from.Version))
                throw new ChangeRefusedException("rollback-goes-back", Line.Of(Emoji("no_entry"), " ", Code("v" + wanted), " is not older than the live ", Code("v" + from.Version),
                    ": a rollback only goes back. Going forward is a deploy, with its staging check: ", Code($"/sb deploy {target.Function} {wanted}"), ". Nothing was requested."));
            back = await ChangeReads.ReadAsync(Line.Of("what ", Code(target.Function), " ran before"), () => targets.CheckAsync(target.Function, ChangeTarget.Alias, wanted, cancellationToken))
                   ?? throw new ChangeRefusedException("rollback-to-served-version", Line.Of(Emoji("no_entry"), " I have no record that ", Code(ChangeTarget.Alias), " of ", Code(target.Function),
                       " ever served ", Code("v" + wanted), ": no change of the bot moved it there or from there, and CloudWatch shows no invocations of it through ", Code(ChangeTarget.Alias),
                       $" in the last {RollbackTargets.CloudWatchLookBack.TotalDays:0} days. Code that never served production here is a deploy, with its staging check: ",
                       Code($"/sb deploy {target.Function} {wanted}"), ". Nothing was requested."));
        }
        else
        {
            back = await ChangeReads.ReadAsync(Line.Of("what ", Code(target.Function), " ran before"), () => targets.DefaultAsync(target.Function, ChangeTarget.Alias, from.Version, cancellationToken))
                   ?? throw new ChangeRefusedException("rollback-to-served-version", Line.Of(Emoji("information_source"), " I know of no older version ", Code(ChangeTarget.Alias), " of ",
                       Code(target.Function), $" served before v{from.Version} (the bot's changes, and CloudWatch over the last {RollbackTargets.CloudWatchLookBack.TotalDays:0} days). ",
                       "Name one with ", Code("--to"), ", or deploy the version you want (", Code($"/sb deploy {target.Function} <version>"), ", with its staging check). Nothing was requested."));
        }
        var to = await ChangeReads.VersionAsync(cloud, target.Function, back.Version, cancellationToken);

        data.Spec = ChangeSpec.AliasMove(ChangeKind.Rollback, target.Environment, target.Function, ChangeTarget.Alias, from, to);
        data.Spec.FromWeights = alias.Weights.Count > 0 ? new Dictionary<string, double>(alias.Weights) : null;
        data.StagingNote = $"v{to.Version} served {ChangeTarget.Alias} before ({back.Evidence}); no staging check for a rollback";
        await requester.SubmitAsync(context, data, cancellationToken);
    }, cancellationToken);
}
