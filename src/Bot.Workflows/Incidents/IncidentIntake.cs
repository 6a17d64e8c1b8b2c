using System.Text.Json;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

public enum IntakeState { Calm, Storm }

public enum IntakeTrigger
{
    /// <summary>A new incident arrived: does it get a thread, or does the storm's digest list it?</summary>
    Admit,
    /// <summary>The timer that edits the digest with what arrived since its last edit.</summary>
    Flush,
    /// <summary>The timer that ends a storm once incidents stop arriving.</summary>
    Settle,
}

/// <summary>A new incident as the intake sees it.</summary>
public sealed record AdmittedIncident(string Id, long? Number, string Title, string? Service, string? Urgency, DateTimeOffset At);

/// <summary>The arguments of <see cref="IntakeTrigger.Admit"/>: the incident and the limit in force now.</summary>
public sealed record AdmitRequest(AdmittedIncident Incident, int MaxPerMinute);

/// <summary>Whether an admitted incident was given a thread.</summary>
public sealed record IntakeDecision(bool Quiet, DateTimeOffset At);

public sealed class IntakeData
{
    public string Channel { get; set; } = "";
    public int MaxPerMinute { get; set; } = 10;
    public TimeSpan FlushEvery { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan CalmAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>When the newest incidents of the last minute arrived (at most one more than the limit).</summary>
    public List<DateTimeOffset> Arrivals { get; set; } = [];
    /// <summary>Recent decisions by incident id (kept <see cref="IncidentIntake.RememberDecisions"/>, at most <see cref="IncidentIntake.MaxDecisions"/>).</summary>
    public Dictionary<string, IntakeDecision> Decisions { get; set; } = new(StringComparer.Ordinal);

    public int Storms { get; set; }
    public DateTimeOffset? StormStartedAt { get; set; }
    public DateTimeOffset LastArrivalAt { get; set; }
    public int StormCount { get; set; }
    public Dictionary<string, int> StormServices { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The newest incidents of the storm (at most <see cref="IncidentIntake.DigestLines"/>).</summary>
    public List<AdmittedIncident> StormRecent { get; set; } = [];
    public int Shown { get; set; }
    public bool FlushPending { get; set; }
}

/// <summary>
/// Where new incidents come in, one per ops channel. Calm, each incident gets its own thread. When more than
/// <see cref="IntakeData.MaxPerMinute"/> arrive within a minute it is a storm: the next ones are still recorded (each is an
/// Incident with its clock) but get no thread of their own; one digest message lists them, edited in place at most every
/// <see cref="IntakeData.FlushEvery"/>, so Slack's pace (about a message a second per channel) holds whatever PagerDuty
/// sends. The storm ends when nothing arrived for <see cref="IntakeData.CalmAfter"/>.
/// </summary>
public sealed class IncidentIntake : WorkflowAggregate<IntakeState, IntakeTrigger, IntakeData>
{
    public const string Type = "incident-intake";
    public const int DigestLines = 15;
    /// <summary>A decision is read right after it is made; it is kept a while, and only so many, for retries.</summary>
    public static readonly TimeSpan RememberDecisions = TimeSpan.FromMinutes(10);
    public const int MaxDecisions = 1000;
    public static readonly WorkflowDefinition<IncidentIntake> Definition = new(Type, id => new IncidentIntake(id));
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IncidentIntake(string id) : base(id, IntakeState.Calm) { }

    public override string AggregateType => Type;

    /// <summary>The intake of one channel.</summary>
    public static string IdFor(string channel) => channel.Length == 0 ? "no-channel" : channel;

    public static IncidentIntake For(string channel, IntakeData data) => new(IdFor(channel)) { Data = data };

    /// <summary>Whether <paramref name="incidentId"/> was admitted without a thread (false when it had one, or is not known).</summary>
    public bool IsQuiet(string incidentId) => Data.Decisions.TryGetValue(incidentId, out var decision) && decision.Quiet;

    /// <summary>The outbox key of the current (or last) storm's digest: a quiet incident posts its escalations in its thread.</summary>
    public string DigestKey => $"{Type}/{Id}/storm-{Data.Storms}";

    protected override void Configure(StateMachine<IntakeState, IntakeTrigger> machine)
    {
        var admitted = new Stateless.Reflection.DynamicStateInfos();
        admitted.Add(IntakeState.Calm, "a thread of its own");
        admitted.Add(IntakeState.Storm, $"more than the limit in a minute: a storm");

        machine.Configure(IntakeState.Calm)
            .PermitDynamicIf(On(IntakeTrigger.Admit), ctx => Arrive(ctx) > Request(ctx).MaxPerMinute ? IntakeState.Storm : IntakeState.Calm, admitted, New())
            .OnEntryFrom(On(IntakeTrigger.Admit), ctx => Decide(ctx, quiet: false), "record it; it gets a thread")
            .OnEntryFrom(On(IntakeTrigger.Settle), EndStorm, "the storm is over: say so in the digest");

        machine.Configure(IntakeState.Storm)
            .PermitIf(On(IntakeTrigger.Settle), IntakeState.Calm,
                Guard(ctx => ctx.Source == TriggerSource.Timer && ctx.Now >= Data.LastArrivalAt + Data.CalmAfter, "Incidents are still arriving."))
            .OnEntryFrom(On(IntakeTrigger.Admit), StartStorm, "post the digest instead of a thread");
        Internal(machine.Configure(IntakeState.Storm), IntakeTrigger.Admit, ctx => New()[0].Item1(ctx), "This incident was admitted already.", ctx =>
        {
            Arrive(ctx);
            Decide(ctx, quiet: true);
        });
        Internal(machine.Configure(IntakeState.Storm), IntakeTrigger.Flush, ctx => ctx.Source == TriggerSource.Timer, "Only the timer edits the digest.", _ =>
        {
            Data.FlushPending = false;
            if (Data.Shown == Data.StormCount) return;
            Data.Shown = Data.StormCount;
            Send(new OutboxDraft { Channel = Data.Channel, Content = ChatContent.Of(Digest(over: false)), UpdateKey = DigestKey });
        });
    }

    private Tuple<Func<FireContext, bool>, string>[] New() =>
        [Guard(ctx => !Data.Decisions.ContainsKey(Request(ctx).Incident.Id), "This incident was admitted already.")];

    private static AdmitRequest Request(FireContext ctx) =>
        JsonSerializer.Deserialize<AdmitRequest>(ctx.ArgumentsJson ?? "null", Json) ?? throw new InvalidOperationException("Admit needs the incident.");

    /// <summary>Counts the arrival; returns how many arrived in the last minute (this one included).</summary>
    private int Arrive(FireContext ctx)
    {
        var request = Request(ctx);
        Data.MaxPerMinute = request.MaxPerMinute;
        var window = Data.Arrivals.Where(a => a > ctx.Now - TimeSpan.FromMinutes(1)).ToList();
        return window.Count + 1;
    }

    private void Decide(FireContext ctx, bool quiet)
    {
        var request = Request(ctx);
        // Bounded, so the record stays small whatever PagerDuty sends: more than the limit within the minute is all a storm needs to know.
        Data.Arrivals = Data.Arrivals.Where(a => a > ctx.Now - TimeSpan.FromMinutes(1)).Append(ctx.Now).TakeLast(Data.MaxPerMinute + 1).ToList();
        Data.LastArrivalAt = ctx.Now;
        foreach (var old in Data.Decisions.Where(d => d.Value.At < ctx.Now - RememberDecisions).Select(d => d.Key).ToList()) Data.Decisions.Remove(old);
        foreach (var old in Data.Decisions.OrderBy(d => d.Value.At).Take(Math.Max(0, Data.Decisions.Count - MaxDecisions + 1)).Select(d => d.Key).ToList()) Data.Decisions.Remove(old);
        Data.Decisions[request.Incident.Id] = new IntakeDecision(quiet, ctx.Now);
        AuditDetail("incident", request.Incident.Id);
        AuditDetail("thread", quiet ? "no (storm digest)" : "yes");
        if (!quiet) return;

        Data.StormCount++;
        var service = request.Incident.Service ?? "unknown service";
        Data.StormServices[service] = Data.StormServices.GetValueOrDefault(service) + 1;
        Data.StormRecent.Add(request.Incident);
        if (Data.StormRecent.Count > DigestLines) Data.StormRecent.RemoveAt(0);
        SetTimer("settle", IntakeTrigger.Settle, ctx.Now + Data.CalmAfter, "settle");
        if (!Data.FlushPending && CurrentState == IntakeState.Storm && Data.Shown > 0)
        {
            Data.FlushPending = true;
            SetTimer("flush", IntakeTrigger.Flush, ctx.Now + Data.FlushEvery, "flush");
        }
    }

    private void StartStorm(FireContext ctx)
    {
        Data.Storms++;
        Data.StormStartedAt = ctx.Now;
        Data.StormCount = 0;
        Data.StormServices.Clear();
        Data.StormRecent.Clear();
        Data.Shown = 0;
        Data.FlushPending = false;
        Decide(ctx, quiet: true);
        Data.Shown = Data.StormCount;
        // Urgent: the channel hears of the storm at once, not after the threads the incidents before it queued (half a minute).
        Send(new OutboxDraft { Channel = Data.Channel, Content = ChatContent.Of(Digest(over: false)), Key = DigestKey, Urgent = true });
    }

    private void EndStorm(FireContext ctx)
    {
        CancelTimer("flush");
        Data.FlushPending = false;
        Data.Shown = Data.StormCount;
        Send(new OutboxDraft { Channel = Data.Channel, Content = ChatContent.Of(Digest(over: true)), UpdateKey = DigestKey });
        Send(new OutboxDraft
        {
            Channel = Data.Channel,
            Content = new ChatContent(Line.Of($"The incident storm is over: {Data.StormCount} incident(s) without a thread since ", Time(Data.StormStartedAt ?? ctx.Now),
                ". New incidents get their own thread again; /sb incidents lists the open ones.")),
            ThreadUnderKey = DigestKey,
        });
    }

    private Card Digest(bool over)
    {
        var since = Data.StormStartedAt ?? Data.LastArrivalAt;
        var byService = string.Join(", ", Data.StormServices.OrderByDescending(s => s.Value).Select(s => $"{s.Key}: {s.Value}"));
        var details = Data.StormRecent.AsEnumerable().Reverse()
            .Select(i => Line.Of(i.Number is { } n ? $"#{n} " : "", Code(i.Id), " ", i.Service ?? "", i.Urgency is { } u ? $" ({u})" : "", ": ", i.Title)).ToList();
        var more = Data.StormCount - Data.StormRecent.Count;
        return new Card
        {
            Title = over ? $"Incident storm over: {Data.StormCount} incidents" : $"Incident storm: {Data.StormCount} new incidents without a thread",
            Tone = over ? CardTone.Info : CardTone.Bad,
            Status = Line.Of($"More than {Data.MaxPerMinute} incidents arrived within a minute, from ", Time(since),
                ". They are listed here instead of a thread each; PagerDuty still pages the on-call, and /sb incidents shows them all."),
            Fields = [new CardField("By service", Line.Of(byService.Length > 0 ? byService : "—")), new CardField("Last arrival", Line.Of(Time(Data.LastArrivalAt)))],
            Details = details,
            Footer = more > 0 ? [Line.Of($"…and {more} earlier in this storm.")] : [],
        };
    }
}
