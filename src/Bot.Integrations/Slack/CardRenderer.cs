using System.Text;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// Renders a workflow's <see cref="ChatContent"/> as Block Kit: the card's title and status, its fields, details
/// and footer, and its buttons (wired by <see cref="CardActions"/>). The fallback text is escaped plain text.
/// </summary>
public static class CardRenderer
{
    public const int MaxFieldsPerSection = 10;
    public const int MaxSectionText = 3000;

    public static (string Text, IReadOnlyList<Block> Blocks) Render(ChatContent content) =>
        content.Card is { } card ? (SlackMrkdwn.Escape(content.ToPlainText()), Blocks(card)) : (SlackMrkdwn.Render(content.Text), []);

    /// <summary>The card's blocks.</summary>
    public static IReadOnlyList<Block> Blocks(Card card)
    {
        var blocks = new List<Block>
        {
            SectionBlock.Markdown(Bound($":{card.Tone.EmojiName()}: *{SlackMrkdwn.Escape(card.Title)}*" +
                (card.Status is { } status ? "\n" + SlackMrkdwn.Render(status) : ""))),
        };
        foreach (var chunk in card.Fields.Chunk(MaxFieldsPerSection))
        {
            blocks.Add(new SectionBlock
            {
                Fields = chunk.Select(f => TextObject.Markdown(Bound($"*{SlackMrkdwn.Escape(f.Label)}*\n{SlackMrkdwn.Render(f.Value)}", 2000))).ToList(),
            });
        }
        if (card.Details.Count > 0)
            blocks.Add(SectionBlock.Markdown(Bound(string.Join("\n", card.Details.Select(SlackMrkdwn.Render)))));
        if (card.Footer.Count > 0)
            blocks.Add(new ContextBlock { Elements = card.Footer.Take(10).Select(l => TextObject.Markdown(Bound(SlackMrkdwn.Render(l), 2000))).ToList() });
        var actions = CardActions.Of(card);
        if (actions.Count > 0)
            blocks.Add(new ActionsBlock { BlockId = CardActions.BlockId(card), Elements = actions.Select(Button).ToList<BlockElement>() });
        return blocks;
    }

    /// <summary>A trigger button of a card with <paramref name="reference"/>.</summary>
    public static ButtonElement Button(CardButton button, CardRef reference) =>
        Button(new CardAction(button, ButtonPayload.ActionId(reference.AggregateType, button.Trigger), CardActions.Payload(button, reference).ToJson()));

    private static ButtonElement Button(CardAction action) =>
        ButtonElement.Create(action.ActionId, action.Button.Label, action.Value, Style(action.Button.Style), Confirm(action.Button));

    private static string? Style(ButtonStyle style) => style switch { ButtonStyle.Primary => "primary", ButtonStyle.Danger => "danger", _ => null };

    private static ConfirmDialog? Confirm(CardButton button) =>
        button.Confirm is { } confirm ? new ConfirmDialog { Text = TextObject.Markdown(SlackMrkdwn.Escape(confirm)), Style = button.Style == ButtonStyle.Danger ? "danger" : "primary" } : null;

    private static string Bound(string text, int max = MaxSectionText) =>
        text.Length <= max ? text : new StringBuilder(text, 0, max - 1, max).Append('…').ToString();
}
