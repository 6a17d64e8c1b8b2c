using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// A review as chat messages: the summary (each section ✅ / ⚠️ / ❌ and the actions by area, as the procedures list them),
/// and one message per section for its thread (its lines and its table).
/// </summary>
public static class ReviewMessages
{
    public static string AreaTitle(ActionArea area) => area switch
    {
        ActionArea.Capacity => "Capacity (update the capacity plan)",
        ActionArea.Maintenance => "Maintenance to schedule",
        ActionArea.CredentialRotations => "Credential rotations to plan",
        ActionArea.Security => "Security reviews",
        ActionArea.Operations => "Operations follow-ups",
        _ => "Cost optimization",
    };

    public static string HealthEmoji(SectionHealth health) => health switch
    {
        SectionHealth.Healthy => "white_check_mark",
        SectionHealth.Attention => "warning",
        _ => "x",
    };

    public static ChatMessage Summary(Review review)
    {
        var attention = review.NeedAttention.Count;
        var unread = review.Unreadable.Count;
        var verdict = attention == 0 && unread == 0 ? "everything on target" :
            string.Join(", ", new[] { attention > 0 ? $"{attention} section(s) need attention" : null, unread > 0 ? $"{unread} could not be read" : null }.OfType<string>());
        var heading = Line.Of(Emoji("clipboard"), " ", Strong(review.Title), $": {verdict}");
        var sections = review.Sections.Select(s => Line.Of(Emoji(HealthEmoji(s.Health)), $" {s.Title}",
            s.Health == SectionHealth.Unavailable ? $": could not be read ({s.Problem})" : s.Health == SectionHealth.Attention ? $": {s.Lines.Count(IsWarning)} finding(s)" : "")).ToList();
        var blocks = new List<MessageBlock> { new TextBlock(heading), new LinesBlock(sections) };
        var actionLines = new List<Line>();
        foreach (var area in review.Actions.GroupBy(a => a.Area).OrderBy(g => g.Key))
        {
            actionLines.Add(Line.Of(Strong(AreaTitle(area.Key))));
            actionLines.AddRange(area.Select(a => Line.Of("• ", a.Text)));
        }
        if (actionLines.Count > 0)
        {
            blocks.Add(new HeadingBlock("Actions"));
            blocks.Add(new LinesBlock(actionLines));
        }
        blocks.Add(new NoteBlock($"{review.Window.Start:yyyy-MM-dd HH:mm} to {review.Window.End:yyyy-MM-dd HH:mm} UTC against the {review.Window.Length.TotalDays:0} days before. Each section, its table and its charts follow in the thread."));
        var text = Line.Join("\n", [heading, .. sections, .. actionLines.Count > 0 ? [Line.Of("Actions:"), .. actionLines] : Array.Empty<Line>()]);
        return ChatMessage.InChannel(text, blocks);
    }

    public static ChatMessage Section(ReportSection section)
    {
        var heading = Line.Of(Emoji(HealthEmoji(section.Health)), " ", Strong(section.Title));
        var blocks = new List<MessageBlock> { new TextBlock(heading), new LinesBlock(section.Lines) };
        if (section.Table is { } table) blocks.Add(new TextBlock(Line.Of(Preformatted(table))));
        var text = Line.Join("\n", [heading, .. section.Lines, .. section.Table is null ? Array.Empty<Line>() : [Line.Of(section.Table.Replace("```", "ˋˋˋ", StringComparison.Ordinal))]]);
        return ChatMessage.InChannel(text, blocks);
    }

    private static bool IsWarning(Line line) => line.Spans.Count > 0 && line.Spans[0] is EmojiSpan { Name: "warning" or "red_circle" or "x" or "large_orange_diamond" };
}
