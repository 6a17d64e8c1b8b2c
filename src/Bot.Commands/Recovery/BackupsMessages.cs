using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>The backups report as a message: a heading with the count of warnings, then each table and the bucket.</summary>
public static class BackupsMessages
{
    public static ChatMessage Build(BackupsReport report)
    {
        var heading = report.Green
            ? Line.Of(Emoji("white_check_mark"), " ", Strong($"Backups and recovery, {report.Environment}: all as the guide says"))
            : Line.Of(Emoji("warning"), " ", Strong($"Backups and recovery, {report.Environment}: {report.Warnings} warning(s)"));
        var blocks = new List<MessageBlock> { new TextBlock(heading) };
        var text = new List<Line> { heading };
        foreach (var area in report.Areas)
        {
            var lines = new List<Line> { Line.Of(Emoji(area.Green ? "white_check_mark" : "warning"), " ", Strong(area.Kind == "bucket" ? "Reports bucket " : ""), Code(area.Resource)) };
            lines.AddRange(area.Findings.Select(f => Line.Of("    ", Emoji(Icon(f.Tone)), " ", f.Text)));
            blocks.Add(new LinesBlock(lines));
            text.AddRange(lines);
        }
        blocks.Add(new NoteBlock(Line.Of("Checked ", Time(report.CheckedAt), " · restore with ", Code("/sb restore table"), " or ", Code("/sb restore object"), " · rehearse with ", Code("/sb drill"))));
        return ChatMessage.InChannel(Line.Join("\n", text), blocks);
    }

    private static string Icon(BackupTone tone) => tone switch
    {
        BackupTone.Ok => "white_check_mark",
        BackupTone.Info => "information_source",
        BackupTone.Warning => "warning",
        _ => "grey_question",
    };
}
