using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Kpis;

/// <summary>The KPIs as lines: ✅ met, ⚠️ missed, ❔ not measured, each with its target and how it was counted.</summary>
public static class KpiMessages
{
    public static IReadOnlyList<Line> Lines(KpiReport report) =>
        report.Kpis.Select(k => Line.Of(Emoji(k.Met switch { true => "white_check_mark", false => "warning", null => "grey_question" }),
            $" {k.Name}: ", Strong(k.Actual), $" (target {k.Target}) — {k.Detail}")).ToList();

    public static ChatMessage Build(KpiReport report, string periodLabel)
    {
        var missed = report.Kpis.Count(k => k.Met == false);
        var heading = Line.Of(Emoji(missed == 0 ? "chart_with_upwards_trend" : "warning"), " ", Strong($"KPIs of {report.Environment}, {periodLabel}"),
            missed == 0 ? ": every measured KPI on target" : $": {missed} below target");
        var lines = Lines(report);
        var note = $"The procedures' Key Performance Indicators from CloudWatch ({report.Window.Start:yyyy-MM-dd HH:mm} to {report.Window.End:yyyy-MM-dd HH:mm} UTC); targets from Reports__Kpis__….";
        return ChatMessage.InChannel(Line.Join("\n", [heading, .. lines]), [new TextBlock(heading), new LinesBlock(lines), new NoteBlock(note)]);
    }
}
