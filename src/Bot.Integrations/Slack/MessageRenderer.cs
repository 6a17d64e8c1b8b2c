using System.Text;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// Renders a command's <see cref="ChatMessage"/> as Slack takes it: the text as mrkdwn (escaped by
/// <see cref="SlackMrkdwn"/>), headings as header blocks, text as sections, notes as context, cards as
/// <see cref="CardRenderer"/> draws them.
/// </summary>
public static class MessageRenderer
{
    public static SlackMessage Render(ChatMessage message) => new()
    {
        Text = SlackMrkdwn.Render(message.Text),
        Blocks = message.Blocks.SelectMany(Blocks).ToList(),
        Ephemeral = message.Ephemeral,
        ReplaceOriginal = message.ReplaceOriginal,
    };

    private static IEnumerable<Block> Blocks(MessageBlock block) => block switch
    {
        HeadingBlock heading => [HeaderBlock.Of(heading.Text)],
        TextBlock { MaxLength: { } max } text when SlackMrkdwn.Render(text.Text) is var markup && markup.Length > max =>
            [SectionBlock.Markdown(markup[..max] + "…")],
        TextBlock text => [SectionBlock.Markdown(SlackMrkdwn.Render(text.Text))],
        LinesBlock lines => Sections(lines.Lines.Select(SlackMrkdwn.Render)),
        NoteBlock note => [ContextBlock.Markdown(SlackMrkdwn.Render(note.Text))],
        CardBlock card => CardRenderer.Blocks(card.Card),
        _ => throw new NotSupportedException($"No Slack rendering for {block.GetType().Name}."),
    };

    /// <summary>One section holds at most 3,000 characters: the lines take as many sections as they need, whole lines each.</summary>
    private static IEnumerable<Block> Sections(IEnumerable<string> lines)
    {
        var section = new StringBuilder();
        foreach (var line in lines)
        {
            if (section.Length > 0 && section.Length + 1 + line.Length > SlackMessageLimits.MaxSectionText)
            {
                yield return SectionBlock.Markdown(section.ToString());
                section.Clear();
            }
            if (section.Length > 0) section.Append('\n');
            section.Append(line);
        }
        if (section.Length > 0) yield return SectionBlock.Markdown(section.ToString());
    }
}
