using System.Text;

namespace Bot.Commands.Reports.Reviews;

/// <summary>A review as a Markdown document: the summary table, the actions by area, then each section with its table and charts.</summary>
public static class ReviewMarkdown
{
    public static string Render(Review review, IReadOnlyDictionary<Bot.Workflows.Messages.Chart, string>? chartFiles = null)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {review.Title}").AppendLine();
        md.AppendLine($"Built {review.BuiltAt:yyyy-MM-dd HH:mm} UTC for {review.Window.Start:yyyy-MM-dd HH:mm} to {review.Window.End:yyyy-MM-dd HH:mm} UTC, against the {review.Window.Length.TotalDays:0} days before.").AppendLine();
        md.AppendLine("## Summary").AppendLine();
        md.AppendLine("| Section | State |").AppendLine("| --- | --- |");
        foreach (var s in review.Sections) md.AppendLine($"| {s.Title} | {ReviewText.Health(s.Health)}{(s.Problem is null ? "" : " (" + s.Problem.Replace("|", "/", StringComparison.Ordinal) + ")")} |");
        md.AppendLine();
        md.AppendLine("## Actions").AppendLine();
        if (review.Actions.Count == 0) md.AppendLine("None.");
        foreach (var area in review.Actions.GroupBy(a => a.Area).OrderBy(g => g.Key))
        {
            md.AppendLine($"### {ReviewMessages.AreaTitle(area.Key)}").AppendLine();
            foreach (var a in area) md.AppendLine($"- {ReviewText.Markdown(a.Text)}");
            md.AppendLine();
        }
        foreach (var s in review.Sections)
        {
            md.AppendLine().AppendLine($"## {s.Title}").AppendLine();
            foreach (var line in s.Lines) md.AppendLine($"- {ReviewText.Markdown(line)}");
            if (s.Table is { } table) md.AppendLine().AppendLine("```").AppendLine(table.Replace("```", "ˋˋˋ", StringComparison.Ordinal)).AppendLine("```");
            foreach (var chart in s.Charts)
                if (chartFiles?.GetValueOrDefault(chart) is { } file) md.AppendLine().AppendLine($"![{chart.Title}]({file})");
        }
        return md.ToString();
    }
}
