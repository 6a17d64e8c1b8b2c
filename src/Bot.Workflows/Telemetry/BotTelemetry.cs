using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bot.Workflows.Telemetry;

/// <summary>
/// The bot's own metrics and traces, under one name (<see cref="Name"/>) that the host hands to OpenTelemetry when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Plain <see cref="System.Diagnostics"/> types: no exporter or vendor here,
/// so every layer can record into them. Gauges that read the store live in the host (<c>OperationalGauges</c>).
/// </summary>
public static class BotTelemetry
{
    public const string Name = "SecureBase.Bot";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary><c>/sb</c> requests by <c>verb</c> and <c>outcome</c> (ok, usage, refused, unknown_verb, user_error, failed).</summary>
    public static readonly Counter<long> Commands = Meter.CreateCounter<long>("sb.commands", "{command}", "Slash commands handled, by verb and outcome");

    /// <summary>Time from a Slack delivery's arrival to its acknowledgement, by <c>transport</c> (http, socket_mode) and <c>kind</c>.</summary>
    public static readonly Histogram<double> AckDuration = Meter.CreateHistogram<double>("sb.slack.ack.duration", "s", "Time to acknowledge a Slack delivery");

    /// <summary>AWS calls by <c>service</c>, <c>operation</c> and <c>outcome</c> (ok or the error code).</summary>
    public static readonly Histogram<double> AwsCallDuration = Meter.CreateHistogram<double>("sb.aws.call.duration", "s", "AWS call latency, by service");

    /// <summary>Failed AWS calls by <c>service</c> and <c>error</c>.</summary>
    public static readonly Counter<long> AwsCallErrors = Meter.CreateCounter<long>("sb.aws.call.errors", "{error}", "Failed AWS calls, by service and error");

    /// <summary>Workflow triggers by <c>workflow</c> (type), <c>trigger</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> Transitions = Meter.CreateCounter<long>("sb.workflow.transitions", "{trigger}", "Workflow triggers, by workflow type and outcome");

    /// <summary>How late a durable timer fired after its due time.</summary>
    public static readonly Histogram<double> TimerLateness = Meter.CreateHistogram<double>("sb.timers.lateness", "s", "How long after its due time a timer fired");

    /// <summary>Items given up (dead letters: outbox messages, timers, work items), by <c>kind</c> (message, timer, or the work queue) and <c>error</c>.</summary>
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("sb.dead_lettered", "{item}", "Items given up (dead letters), by kind");

    /// <summary>Counts one item given up.</summary>
    public static void GaveUp(string kind, string error) =>
        DeadLettered.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("error", error));
}
