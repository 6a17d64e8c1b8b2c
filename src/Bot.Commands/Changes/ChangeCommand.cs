using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// <c>/sb change &lt;id&gt;</c> shows one change with its history; <c>/sb change new</c> opens the ops guide's change request
/// form (<see cref="ChangeForm"/>), which produces the same kind of change as <c>/sb deploy</c>.
/// </summary>
public sealed class ChangeCommand(ChangeReader changes, TimeProvider time) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "change",
        Summary = "Show a change and its history, or open the change request form (new).",
        Usage = "/sb change <id> | new",
        MaxPositionals = 1,
        Examples = ["/sb change CHG-261130-K3FQ", "/sb change new"],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var which = context.Arguments.Positional(0)
                    ?? throw new UsageException(Line.Of("Which change? Give its id (", Code("/sb changes"), " lists them), or ", Code("new"), " for the request form."));
        if (which.Equals("new", StringComparison.OrdinalIgnoreCase))
        {
            if (!await context.Reply.OpenFormAsync(ChangeForm.View(), cancellationToken))
                await context.RespondEphemeralAsync(Line.Of("The change request form needs Slack. Here, use ", Template("/sb deploy <function> <version>|--publish --reason \"…\""),
                    " (", Code("/sb help deploy"), ")."), cancellationToken);
            return;
        }
        if (!ChangeIds.LooksLikeOne(which)) throw new UsageException(Line.Of(Value(which, 30), " is not a change id; they look like ", Code("CHG-261130-K3FQ"), "."));
        var change = await changes.FindAsync(which, cancellationToken) ?? throw new UserFacingException(Line.Of("There is no change ", Value(which, 30), "."));
        await context.RespondAsync(Show(change, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>The card as it is now (without buttons: act on the card in the ops channel) and the change's history.</summary>
    public static ChatMessage Show(Change change, DateTimeOffset now)
    {
        var card = ((Bot.Workflows.Engine.IWorkflow)change).RenderCard()! with { Buttons = [] };
        var history = new LineBuilder(Strong("History"));
        foreach (var line in History(change)) history.Add("\n• ", line);
        return new ChatMessage { Text = card.ToPlainText(), Blocks = [new CardBlock(card), new TextBlock(history.ToLine().TrimEnd())] };
    }

    private static IEnumerable<Line> History(Change change)
    {
        var d = change.Data;
        yield return Line.Of($"{ChangesCommand.Stamp(d.RequestedAt)} requested by @", d.RequesterName, $" ({d.Category})", d.Reason.Length > 0 ? ": " + d.Reason : "");
        foreach (var a in d.Approvals)
            yield return Line.Of($"{ChangesCommand.Stamp(a.At)} approved by @", a.Name, $" ({string.Join(", ", a.Roles)}), digest ", Code(a.Digest[..12]), a.Comment is { } comment ? $": “{comment}”" : "");
        if (d.BreakGlass) yield return Line.Of("break-glass for incident ", d.IncidentId is { Length: > 0 } incident ? Code(incident) : Template(""), d.ReviewedBy is { } r ? ", reviewed by @" + r : ", not reviewed yet");
        if (d.AppliedAt is { } applied) yield return Line.Of($"{ChangesCommand.Stamp(applied)} applied; {d.ErrorsSinceDeploy} error(s) in {d.InvocationsSinceDeploy} invocation(s) seen in {d.Checks} check(s)");
        if (d.NotVerifiedReason is { } notVerified && change.CurrentState == ChangeState.NotVerified) yield return Line.Of("not verified: ", notVerified);
        if (d.SupersededBy is { } later) yield return Line.Of("one-click rollback closed: the alias moved on with ", Code(later));
        if (d.RollbackReason is { } why && change.CurrentState is ChangeState.RolledBack or ChangeState.RollingBack)
            yield return Line.Of("rolled back", d.RolledBackBy is { } who ? " by @" + who : " automatically", ": ", why);
        if (d.RejectReason is { } reason) yield return Line.Of("rejected by @", d.DecidedByName ?? "", ": ", reason);
        if (d.Finding is { } finding && change.CurrentState == ChangeState.Failed) yield return Line.Of("failed: ", finding);
        if (d.FinishedAt is { } done) yield return Line.Of($"{ChangesCommand.Stamp(done)} {change.CurrentState}");
    }
}
