using System.Text;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// Renders a workflow's <see cref="ChatContent"/> as Block Kit: the card's title and status, its fields, details
/// and footer, and its buttons (each carrying the aggregate, the trigger and the card's version). The fallback
/// text is escaped plain text. The shell renders the same blocks as text with numbered buttons.
/// </summary>
public static class CardRenderer
{
    public const int MaxFieldsPerSection = 10;
    public const int MaxSectionText = 3000;

    public static (string Text, IReadOnlyList<Block> Blocks) Render(ChatContent content)
    {
        if (content.Card is not { } card) return (SlackMrkdwn.Render(content.Text), []);

        var blocks = new List<Block>
        {
            SectionBlock.Markdown(Bound($"{Emoji(card.Tone)} *{SlackMrkdwn.Escape(card.Title)}*" +
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
        // Trigger buttons need the card's reference (aggregate and version); command buttons stand alone.
        var buttons = card.Buttons.Where(b => b.Command is not null || card.Ref is not null).Take(25).ToList();
        if (buttons.Count > 0)
        {
            var commands = 0;
            blocks.Add(new ActionsBlock
            {
                BlockId = card.Ref is { } reference ? $"wf:{reference.AggregateId}:{reference.Version}" : "wf:commands",
                Elements = buttons.Select(b => b.Command is { } command
                    ? CommandButtons.Button(b.Label, command, ++commands, Style(b.Style), Confirm(b))
                    : Button(b, card.Ref!)).ToList<BlockElement>(),
            });
        }

        return (SlackMrkdwn.Escape(content.ToPlainText()), blocks);
    }

    public static ButtonElement Button(CardButton button, CardRef reference) => ButtonElement.Create(
        ButtonPayload.ActionId(reference.AggregateType, button.Trigger),
        button.Label,
        new ButtonPayload(reference.AggregateType, reference.AggregateId, button.Trigger, reference.Version, button.AskFor).ToJson(),
        Style(button.Style),
        Confirm(button));

    private static string? Style(ButtonStyle style) => style switch { ButtonStyle.Primary => "primary", ButtonStyle.Danger => "danger", _ => null };

    private static ConfirmDialog? Confirm(CardButton button) =>
        button.Confirm is { } confirm ? new ConfirmDialog { Text = TextObject.Markdown(SlackMrkdwn.Escape(confirm)), Style = button.Style == ButtonStyle.Danger ? "danger" : "primary" } : null;

    public static string Emoji(CardTone tone) => tone switch
    {
        CardTone.Waiting => ":hourglass_flowing_sand:",
        CardTone.Working => ":gear:",
        CardTone.Good => ":white_check_mark:",
        CardTone.Warning => ":warning:",
        CardTone.Bad => ":x:",
        _ => ":information_source:",
    };

    private static string Bound(string text, int max = MaxSectionText) =>
        text.Length <= max ? text : new StringBuilder(text, 0, max - 1, max).Append('…').ToString();
}
