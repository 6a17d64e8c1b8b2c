using Bot.Commands.Status;
using System.Diagnostics.Metrics;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Storage;
using Bot.Workflows.Telemetry;

namespace Bot.Operations;

/// <summary>
/// Gauges over the latest <see cref="OperationsSnapshot"/> (read in the background by <see cref="OperationsMonitor"/>,
/// never in the exporter's callback): outbox backlog, dead letters, timers due and how late the oldest is, changes
/// pending, incidents open, instances running, Socket Mode connections open.
/// </summary>
public sealed class OperationalGauges
{
    private readonly Meter _meter;

    public OperationalGauges(IMeterFactory meters, OperationsMonitor monitor, IServiceProvider services)
    {
        // Only the Slack server has Socket Mode (the shell does not).
        var socketMode = services.GetService<Slack.SocketMode.SocketModeClient>();
        // From the host's factory (same name as BotTelemetry's meter): the gauges go away with the host.
        var meter = _meter = meters.Create(BotTelemetry.Name);
        Observe(meter, "sb.outbox.backlog", "{message}", "Outbox messages waiting for Slack", () => monitor.Observe()?.OutboxBacklog);
        Observe(meter, "sb.outbox.dead_letters", "{message}", "Outbox messages given up", () => monitor.Observe()?.DeadLetters.Messages);
        meter.CreateObservableGauge("sb.dead_letters", () => monitor.Observe() is { } s ? ByKind(s.DeadLetters) : [], "{item}",
            "Items given up (dead letters) waiting for an admin, by kind (message, timer, or the work queue): /sb deadletters");
        Observe(meter, "sb.timers.due", "{timer}", "Timers due and not fired yet", () => monitor.Observe()?.TimersDue.Count);
        meter.CreateObservableGauge<double>("sb.timers.oldest_due_lateness",
            () => monitor.Observe() is { } s ? [new Measurement<double>(s.TimerLag.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "How late the oldest due timer is");
        Observe(meter, "sb.changes.pending", "{change}", "Changes waiting for approval", () => monitor.Observe()?.ChangesPending);
        Observe(meter, "sb.incidents.open", "{incident}", "Incidents not resolved", () => monitor.Observe()?.IncidentsOpen);
        Observe(meter, "sb.instances", "{instance}", "Bot instances with a recent heartbeat", () => monitor.Observe()?.Instances.Count);
        Observe(meter, "sb.slack.socket_mode.connections", "{connection}", "Socket Mode connections open", () => socketMode is { Enabled: true } ? socketMode.OpenConnections : null);
    }

    /// <summary>The meter the gauges are on (tests listen to it).</summary>
    public Meter Meter => _meter;

    private static IEnumerable<Measurement<long>> ByKind(DeadLetterCounts counts) =>
        new[] { (Kind: DeadLetters.MessageKind, Count: counts.Messages), (Kind: DeadLetters.TimerKind, Count: counts.Timers) }
            .Concat(counts.WorkByQueue.Select(q => (Kind: q.Key, Count: q.Value)))
            .Select(k => new Measurement<long>(k.Count, new KeyValuePair<string, object?>("kind", k.Kind)));

    private static void Observe(Meter meter, string name, string unit, string description, Func<int?> read) =>
        meter.CreateObservableGauge(name, () => read() is { } value ? [new Measurement<long>(value)] : Array.Empty<Measurement<long>>(), unit, description);
}
