using Bot.Integrations.Slack.BlockKit;
using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Commands.Buttons;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;

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
        var which = context.Arguments.Positional(0) ?? throw new UsageException("Which change? Give its id (`/sb changes` lists them), or `new` for the request form.");
        if (which.Equals("new", StringComparison.OrdinalIgnoreCase))
        {
            if (!await context.Reply.OpenModalAsync(ChangeForm.View(), cancellationToken))
                await context.RespondEphemeralAsync("The change request form needs Slack. Here, use `/sb deploy <function> <version>|--publish --reason \"…\"` (`/sb help deploy`).", cancellationToken);
            return;
        }
        if (!ChangeIds.LooksLikeOne(which)) throw new UsageException($"{SlackText.Code(which, 30)} is not a change id; they look like `CHG-261130-K3FQ`.");
        var change = await changes.FindAsync(which, cancellationToken) ?? throw new UserFacingException($"There is no change {SlackText.Code(which, 30)}.");
        await context.RespondAsync(Show(change, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>The card as it is now (without buttons: act on the card in the ops channel) and the change's history.</summary>
    public static ChatMessage Show(Change change, DateTimeOffset now)
    {
        var card = ((Bot.Workflows.Engine.IWorkflow)change).RenderCard()! with { Buttons = [] };
        var (text, blocks) = CardRenderer.Render(ChatContent.Of(card));
        var history = new StringBuilder("*History*\n");
        foreach (var line in History(change)) history.Append("• ").AppendLine(line);
        return new ChatMessage { Text = text, Blocks = [.. blocks, SectionBlock.Markdown(history.ToString().TrimEnd())] };
    }

    private static IEnumerable<string> History(Change change)
    {
        var d = change.Data;
        yield return $"{ChangesCommand.Stamp(d.RequestedAt)} requested by @{SlackText.Escape(d.RequesterName)} ({d.Category}){(d.Reason.Length > 0 ? ": " + SlackText.Escape(d.Reason) : "")}";
        foreach (var a in d.Approvals) yield return $"{ChangesCommand.Stamp(a.At)} approved by @{SlackText.Escape(a.Name)} ({string.Join(", ", a.Roles)}), digest `{a.Digest[..12]}`";
        if (d.BreakGlass) yield return $"break-glass for incident `{SlackText.Escape(d.IncidentId ?? "")}`{(d.ReviewedBy is { } r ? $", reviewed by @{SlackText.Escape(r)}" : ", not reviewed yet")}";
        if (d.AppliedAt is { } applied) yield return $"{ChangesCommand.Stamp(applied)} applied; {d.ErrorsSinceDeploy} error(s) seen in {d.Checks} check(s)";
        if (d.RollbackReason is { } why && change.CurrentState is ChangeState.RolledBack or ChangeState.RollingBack) yield return $"rolled back{(d.RolledBackBy is { } who ? $" by @{SlackText.Escape(who)}" : " automatically")}: {SlackText.Escape(why)}";
        if (d.RejectReason is { } reason) yield return $"rejected by @{SlackText.Escape(d.DecidedByName ?? "")}: {SlackText.Escape(reason)}";
        if (d.Finding is { } finding && change.CurrentState == ChangeState.Failed) yield return $"failed: {SlackText.Escape(finding)}";
        if (d.FinishedAt is { } done) yield return $"{ChangesCommand.Stamp(done)} {change.CurrentState}";
    }
}
