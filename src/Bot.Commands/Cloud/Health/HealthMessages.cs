using System.Globalization;
using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Commands.Cloud.Health;

/// <summary>The health answer: the main message, and (when the details do not fit) thread replies.</summary>
public sealed record HealthMessage(ChatMessage Main, IReadOnlyList<ChatMessage> ThreadDetails);

/// <summary>
/// Block Kit for a <see cref="HealthReport"/>: the summary line first (all green / N warnings /
/// N failures), then a section per area. Detail lines stay inline while they fit comfortably;
/// otherwise each area keeps its summary and first problem lines, and the full details go to the thread.
/// </summary>
public static class HealthMessages
{
    public const int InlineDetailBudget = 2500;
    public const int MaxInlineLinesPerArea = 8;
    public const int ProblemLinesWhenFolded = 3;
    private const int SectionLimit = 2900;

    public static string Emoji(ProbeStatus status) => status switch
    {
        ProbeStatus.Ok => "✅",
        ProbeStatus.Warning => "⚠️",
        _ => "❌",
    };

    public static string SummaryLine(HealthReport report)
    {
        var verdict = report.Overall switch
        {
            ProbeStatus.Ok => "all green",
            ProbeStatus.Warning => Plural(report.Warnings, "warning"),
            _ => report.Warnings > 0 ? $"{Plural(report.Failures, "failure")}, {Plural(report.Warnings, "warning")}" : Plural(report.Failures, "failure"),
        };
        return $"{Emoji(report.Overall)} SecureBase {report.Environment} health: {verdict}";
    }

    public static HealthMessage Build(HealthReport report)
    {
        var detailChars = report.Results.Sum(r => r.Details.Sum(d => d.Length + 1));
        var inline = detailChars <= InlineDetailBudget && report.Results.All(r => r.Details.Count <= MaxInlineLinesPerArea);

        var blocks = new List<Block>
        {
            SectionBlock.Markdown($"*{SummaryLine(report)}*"),
            ContextBlock.Markdown($"Checked {report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC in {report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s · {report.Results.Count} areas"),
        };
        var text = new StringBuilder(SummaryLine(report)).Append('\n');
        foreach (var r in report.Results)
        {
            var lines = inline ? r.Details : r.Status == ProbeStatus.Ok ? [] : r.Details.Where(d => !d.StartsWith('✅')).Take(ProblemLinesWhenFolded).ToList();
            var section = new StringBuilder($"{Emoji(r.Status)} *{SlackText.Escape(r.Area)}*: {r.Summary}");
            foreach (var line in lines) section.Append('\n').Append("    ").Append(line);
            blocks.Add(SectionBlock.Markdown(Fit(section.ToString())));
            text.Append(Emoji(r.Status)).Append(' ').Append(SlackText.Escape(r.Area)).Append(": ").Append(r.Summary).Append('\n');
        }

        var thread = new List<ChatMessage>();
        if (!inline)
        {
            blocks.Add(ContextBlock.Markdown(":thread: Full details are in the thread."));
            foreach (var r in report.Results.Where(r => r.Details.Count > 0))
            {
                foreach (var chunk in Chunks(r.Details))
                {
                    var body = $"{Emoji(r.Status)} *{SlackText.Escape(r.Area)}*\n{chunk}";
                    thread.Add(new ChatMessage { Text = body, Blocks = [SectionBlock.Markdown(body)], Ephemeral = false });
                }
            }
        }
        return new HealthMessage(new ChatMessage { Text = text.ToString().TrimEnd(), Blocks = blocks, Ephemeral = false }, thread);
    }

    private static IEnumerable<string> Chunks(IReadOnlyList<string> lines)
    {
        var current = new StringBuilder();
        foreach (var line in lines)
        {
            if (current.Length > 0 && current.Length + line.Length + 1 > SectionLimit - 200)
            {
                yield return current.ToString();
                current.Clear();
            }
            if (current.Length > 0) current.Append('\n');
            current.Append(line.Length > SectionLimit - 200 ? line[..(SectionLimit - 200)] + "…" : line);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static string Fit(string text) => text.Length <= SectionLimit ? text : text[..SectionLimit] + "…";

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
