using Bot.Commands.Outbox;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Status;

/// <summary>
/// <c>/sb status</c>: how the bot itself is doing: version and uptime, the instances running, the store (how fast it
/// answers and how far its timers lag), the outbox backlog and dead letters, timers due, whether Slack, PagerDuty and
/// AWS answer, and the Socket Mode connections. Dead letters are every kind given up (messages, timers, activities, PagerDuty
/// events), by kind. Read-only; answered to the asker only.
/// </summary>
public sealed class StatusCommand(IBotStatus status, TimeProvider time)
    : ICommandHandler
{
    public const string Verb = "status";

    public CommandSpec Spec { get; } = new()
    {
        Verb = Verb,
        Summary = "How the bot is doing: version, uptime, instances, store and its lag, outbox, dead letters, timers, connectivity, Socket Mode",
        Usage = "/sb status",
        MaxPositionals = 0,
        Examples = ["/sb status"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var report = await status.ReadAsync(cancellationToken);
        await context.RespondEphemeralAsync(Render(report), cancellationToken);
    }

    internal Line Render(BotStatusReport report)
    {
        var now = time.GetUtcNow();
        var s = report.Store;
        var text = new LineBuilder();
        text.AddLine(Strong("SecureBase ops bot status"), " · version ", Value(report.Version), $" · up {Duration(report.Uptime)} on ", Value(report.Host));
        var instances = Line.Join(", ", s.Instances.Select(i =>
            Line.Of(Value(i.Host), $" {i.Version} up {Duration(now - i.StartedAt)}{(i.Id == report.ThisInstanceId ? " (this one)" : "")}")));
        text.AddLine(Strong("Instances running"), $" ({s.Instances.Count}): ", instances);
        text.AddLine(Mark(s.TimerLag < TimeSpan.FromMinutes(1)), " ", Strong("Store"), $": {s.Store}, answered in {Ms(s.StoreLatency)}; lag {Duration(s.TimerLag)}");
        var deadLetters = s.DeadLetters.Total == 0 ? "0" : $"{s.DeadLetters.Total} ({DeadLettersCommand.Describe(s.DeadLetters)})";
        text.AddLine(Mark(s.OutboxBacklog <= 200), " ", Strong("Outbox"), $": {s.OutboxBacklog} message(s) waiting · ", Mark(s.DeadLetters.Total == 0), " ",
            Strong("Dead letters"), $": {deadLetters}", s.DeadLetters.Total == 0 ? "" : Line.Of(" — ", Code("/sb deadletters")));
        var oldest = s.TimersDue.OldestDueAt is { } due ? $", oldest due {due:yyyy-MM-dd HH:mm:ss} UTC" : "";
        text.AddLine(Mark(s.TimerLag < TimeSpan.FromMinutes(1)), " ", Strong("Timers due"), $": {s.TimersDue.Count}{oldest}");
        text.AddLine(Strong("Workflows"), $": {s.ChangesPending} change(s) waiting for approval · {s.IncidentsOpen} incident(s) open");
        foreach (var c in report.Services)
        {
            var mark = Emoji(c.Reachable switch { true => "white_check_mark", false => "x", null => "white_circle" });
            var took = c.Reachable is null ? "" : $" ({Ms(c.Took)})";
            text.AddLine(mark, " ", Strong(c.Service), $": {c.Detail}{took}");
        }
        text.Add(report.SocketMode is { } socketMode
            ? Line.Of(Mark(socketMode.Open == socketMode.Wanted), " ", Strong("Socket Mode"),
                $": {socketMode.Open} of {socketMode.Wanted} connection(s) open, {socketMode.OpenedSinceStart} opened since start")
            : Line.Of(Emoji("white_circle"), " ", Strong("Socket Mode"), ": off (requests arrive over HTTP)"));
        return text;
    }

    private static EmojiSpan Mark(bool good) => Emoji(good ? "white_check_mark" : "warning");

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0} ms";

    internal static string Duration(TimeSpan t) => t switch
    {
        { TotalDays: >= 1 } => $"{(int)t.TotalDays}d {t.Hours}h",
        { TotalHours: >= 1 } => $"{(int)t.TotalHours}h {t.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)t.TotalMinutes}m {t.Seconds}s",
        _ => $"{Math.Max(0, (int)t.TotalSeconds)}s",
    };
}
