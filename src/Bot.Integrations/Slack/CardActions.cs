using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// What a card's button sends back when it is clicked, as Slack delivers it to the interaction router: the action id,
/// the value, and the id of the block the buttons sit in. A trigger button carries a <see cref="ButtonPayload"/> (the
/// aggregate, the trigger, the card's version); a command button (<see cref="CardButton.Command"/>) carries its command.
/// Every transport that shows cards wires their buttons this way, so a click means the same wherever it came from.
/// </summary>
public sealed record CardAction(CardButton Button, string ActionId, string Value);

public static class CardActions
{
    /// <summary>The id of the block holding a card's buttons: the aggregate and version for a card with a reference.</summary>
    public static string BlockId(Card card) => card.Ref is { } reference ? $"wf:{reference.AggregateId}:{reference.Version}" : "wf:commands";

    /// <summary>
    /// The buttons a card shows, wired: trigger buttons need the card's reference (aggregate and version), command buttons
    /// stand alone; at most 25 (Slack's limit for one block).
    /// </summary>
    public static IReadOnlyList<CardAction> Of(Card card)
    {
        var commands = 0;
        return card.Buttons.Where(b => b.Command is not null || card.Ref is not null).Take(25)
            .Select(b => b.Command is { } command
                ? new CardAction(b, CommandButtons.ActionIdPrefix + Math.Clamp(++commands, 1, CommandButtons.MaxPerMessage), command)
                : new CardAction(b, ButtonPayload.ActionId(card.Ref!.AggregateType, b.Trigger), Payload(b, card.Ref!).ToJson()))
            .ToList();
    }

    /// <summary>What a trigger button of a card with <paramref name="reference"/> carries.</summary>
    public static ButtonPayload Payload(CardButton button, CardRef reference) =>
        new(reference.AggregateType, reference.AggregateId, button.Trigger, reference.Version, button.AskFor);
}
