using System.Globalization;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Health;

/// <summary>The health answer: the main message, and (when the details do not fit) thread replies.</summary>
public sealed record HealthMessage(ChatMessage Main, IReadOnlyList<ChatMessage> ThreadDetails);

/// <summary>
/// The message for a <see cref="HealthReport"/>: the summary line first (all green / N warnings /
/// N failures), then a section per area. Detail lines stay inline while they fit comfortably;
/// otherwise each area keeps its summary and first problem lines, and the full details go to the thread.
/// The budgets are Slack's (a section holds 3,000 characters), so lines are measured as Slack counts them.
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
        var detailChars = report.Results.Sum(r => r.Details.Sum(d => SlackMrkdwn.Length(d) + 1));
        var inline = detailChars <= InlineDetailBudget && report.Results.All(r => r.Details.Count <= MaxInlineLinesPerArea);

        var blocks = new List<MessageBlock>
        {
            new TextBlock(Line.Of(Strong(SummaryLine(report)))),
            new NoteBlock($"Checked {report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC in {report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s · {report.Results.Count} areas"),
        };
        var text = new LineBuilder(SummaryLine(report), "\n");
        foreach (var r in report.Results)
        {
            var lines = inline ? r.Details : r.Status == ProbeStatus.Ok ? [] : r.Details.Where(d => !HealthProbes.IsGood(d)).Take(ProblemLinesWhenFolded).ToList();
            var section = new LineBuilder($"{Emoji(r.Status)} ", Strong(r.Area), ": ", r.Summary);
            foreach (var line in lines) section.Add("\n    ", line);
            blocks.Add(new TextBlock(section) { MaxLength = SectionLimit });
            text.AddLine($"{Emoji(r.Status)} {r.Area}: ", r.Summary);
        }

        var thread = new List<ChatMessage>();
        if (!inline)
        {
            blocks.Add(new NoteBlock(Line.Of(Spans.Emoji("thread"), " Full details are in the thread.")));
            foreach (var r in report.Results.Where(r => r.Details.Count > 0))
            {
                foreach (var chunk in Chunks(r.Details))
                {
                    var body = Line.Of($"{Emoji(r.Status)} ", Strong(r.Area), "\n", chunk);
                    thread.Add(ChatMessage.InChannel(body, [new TextBlock(body)]));
                }
            }
        }
        return new HealthMessage(ChatMessage.InChannel(text.ToLine().TrimEnd(), blocks), thread);
    }

    /// <summary>The lines in runs that fit a section, whole lines each (the lines are short: their builders bound them).</summary>
    private static IEnumerable<Line> Chunks(IReadOnlyList<Line> lines)
    {
        var current = new List<Line>();
        var length = 0;
        foreach (var line in lines)
        {
            var size = SlackMrkdwn.Length(line);
            if (current.Count > 0 && length + size + 1 > SectionLimit - 200)
            {
                yield return Line.Join("\n", current);
                current.Clear();
                length = 0;
            }
            length += current.Count > 0 ? size + 1 : size;
            current.Add(line);
        }
        if (current.Count > 0) yield return Line.Join("\n", current);
    }

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
}
