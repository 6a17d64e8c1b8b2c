using System.Globalization;
using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Slack.SocketMode;

namespace Bot.Operations;

/// <summary>
/// <c>/sb status</c>: how the bot itself is doing: version and uptime, the instances running, the store (how fast it
/// answers and how far its timers lag), the outbox backlog and dead letters, timers due, whether Slack, PagerDuty and
/// AWS answer, and the Socket Mode connections. Read-only; answered to the asker only.
/// </summary>
public sealed class StatusCommand(OperationsMonitor monitor, ConnectivityChecks connectivity, BotInstance instance, IServiceProvider services, TimeProvider time)
    : ICommandHandler
{
    public const string Verb = "status";

    public CommandSpec Spec { get; } = new()
    {
        Verb = Verb,
        Summary = "how the bot is doing: version, uptime, instances, store and its lag, outbox, dead letters, timers, connectivity, Socket Mode",
        Usage = "/sb status",
        MaxPositionals = 0,
        Examples = ["/sb status"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await monitor.HeartbeatAsync(cancellationToken);
        var snapshotTask = monitor.ReadAsync(cancellationToken);
        var checks = await connectivity.RunAsync(cancellationToken);
        var snapshot = await snapshotTask;
        await context.RespondEphemeralAsync(Render(snapshot, checks, services.GetService<SocketModeClient>()), cancellationToken);
    }

    internal string Render(OperationsSnapshot s, IReadOnlyList<Connectivity> checks, SocketModeClient? socketMode)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"*SecureBase ops bot status* · version {SlackText.Code(BotInstance.Version)} · up {Duration(instance.Uptime(now))} on {SlackText.Code(instance.Host)}");
        var instances = string.Join(", ", s.Instances.Select(i =>
            $"{SlackText.Code(i.Host)} {SlackText.Escape(i.Version)} up {Duration(now - i.StartedAt)}{(i.Id == instance.Id ? " (this one)" : "")}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"*Instances running* ({s.Instances.Count}): {instances}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{Mark(s.TimerLag < TimeSpan.FromMinutes(1))} *Store*: {SlackText.Escape(s.Store)}, answered in {Ms(s.StoreLatency)}; lag {Duration(s.TimerLag)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{Mark(s.OutboxBacklog <= 200)} *Outbox*: {s.OutboxBacklog} message(s) waiting · {Mark(s.DeadLetters == 0)} *Dead letters*: {s.DeadLetters}");
        var oldest = s.TimersDue.OldestDueAt is { } due ? $", oldest due {due:yyyy-MM-dd HH:mm:ss} UTC" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"{Mark(s.TimerLag < TimeSpan.FromMinutes(1))} *Timers due*: {s.TimersDue.Count}{oldest}");
        text.AppendLine(CultureInfo.InvariantCulture, $"*Workflows*: {s.ChangesPending} change(s) waiting for approval · {s.IncidentsOpen} incident(s) open");
        foreach (var c in checks)
        {
            var mark = c.Reachable switch { true => ":white_check_mark:", false => ":x:", null => ":white_circle:" };
            var took = c.Reachable is null ? "" : $" ({Ms(c.Took)})";
            text.AppendLine(CultureInfo.InvariantCulture, $"{mark} *{c.Service}*: {SlackText.Escape(c.Detail)}{took}");
        }
        text.Append(socketMode is { Enabled: true }
            ? $"{Mark(socketMode.OpenConnections == socketMode.WantedConnections)} *Socket Mode*: {socketMode.OpenConnections} of {socketMode.WantedConnections} connection(s) open, {socketMode.ConnectionsOpened} opened since start"
            : ":white_circle: *Socket Mode*: off (requests arrive over HTTP)");
        return text.ToString();
    }

    private static string Mark(bool good) => good ? ":white_check_mark:" : ":warning:";

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0} ms";

    internal static string Duration(TimeSpan t) => t switch
    {
        { TotalDays: >= 1 } => $"{(int)t.TotalDays}d {t.Hours}h",
        { TotalHours: >= 1 } => $"{(int)t.TotalHours}h {t.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)t.TotalMinutes}m {t.Seconds}s",
        _ => $"{Math.Max(0, (int)t.TotalSeconds)}s",
    };
}
