using Bot.Workflows.Engine;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Storage;
using Bot.Workflows.Messages;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

/// <summary>
/// A PagerDuty incident as a living thread in the ops channel: Triggered (level n) → Acknowledged → Resolved. Escalate
/// (a button, PagerDuty) and DeadlineElapsed (the bot's clock) re-enter Triggered at level n+1; Unacknowledged and
/// Reopened go back; Reassigned and Snoozed change who and when. PagerDuty is the source of truth: what it says happened
/// arrives as a trigger (webhook, reconciler, or its answer to our own call) carrying the incident as it now is, and news
/// older than what the incident already shows never moves it back. The buttons never change the state themselves: they
/// call PagerDuty (as the person who clicked) and the state follows PagerDuty's answer — so the webhook PagerDuty sends
/// back for the same change finds it already done and changes nothing twice.
/// </summary>
public sealed partial class Incident : WorkflowAggregate<IncidentState, IncidentTrigger, IncidentData>
{
    public const string Type = "incident";

    // Before Definition: static fields start in order, and Definition builds an incident (its machine uses this).
    private static readonly IncidentState[] OpenStates = [IncidentState.Triggered, IncidentState.Acknowledged];

    public static readonly WorkflowDefinition<Incident> Definition = new(Type, id => new Incident(id));

    /// <summary>What PagerDuty said when the incident was opened (only while it is being created).</summary>
    private IncidentEvent? _opening;

    public Incident(string id) : base(id, IncidentState.Triggered) { }

    public override string AggregateType => Type;

    /// <summary>Incidents' activities (PagerDuty calls, escalations of a storm) run in their own lane: changes never wait behind them.</summary>
    public override string ActivityQueue => WorkQueues.IncidentActivities;

    /// <summary>The thread lives in the ops channel, unless the incident arrived in a storm (the digest lists it) or no channel is set.</summary>
    public override string? CardChannel => Data.Quiet || Data.Channel.Length == 0 ? null : Data.Channel;

    public bool HasThread => CardChannel is not null;

    /// <summary>How people call it: <c>#1234</c> when PagerDuty numbered it, else its id.</summary>
    public string Label => Data.Number is { } n ? $"#{n}" : Id;

    /// <summary>A new incident from what PagerDuty says (not yet saved); <paramref name="data"/> brings the channel, levels, clock and playbook.</summary>
    public static Incident Open(IncidentEvent news, IncidentData data)
    {
        if (data.Levels.Count == 0) throw new ArgumentException("An incident needs at least one escalation level.", nameof(data));
        var incident = new Incident(news.Incident.Id) { Data = data, _opening = news };
        incident.Apply(news);
        data.EscalationPolicyId = news.Incident.EscalationPolicyId;
        data.TriggeredAt = news.Incident.CreatedAt ?? news.At;
        data.Level = data.IndexOf(news.Incident.Level) ?? 0;
        return incident;
    }

    protected override void Configure(StateMachine<IncidentState, IncidentTrigger> machine)
    {
        var reopened = new Stateless.Reflection.DynamicStateInfos();
        reopened.Add(IncidentState.Triggered, "reopened as triggered");
        reopened.Add(IncidentState.Acknowledged, "reopened as acknowledged");
        var answered = new Stateless.Reflection.DynamicStateInfos();
        answered.Add(IncidentState.Triggered, "still triggered: escalated (or not) as PagerDuty answered");
        answered.Add(IncidentState.Acknowledged, "someone acknowledged: not escalated");
        answered.Add(IncidentState.Resolved, "resolved: not escalated");

        machine.Configure(IncidentState.Triggered)
            .PermitIf(On(IncidentTrigger.Acknowledged), IncidentState.Acknowledged, FromPagerDuty())
            .PermitIf(On(IncidentTrigger.Acknowledged), IncidentState.Acknowledged, CrossedTheClock())
            .PermitReentryIf(On(IncidentTrigger.Escalated), [.. FromPagerDuty(),
                Guard(ctx => NewLevel(ctx) is { } level && level != Data.Level, "It is already on that level.")])
            .PermitReentryIf(On(IncidentTrigger.Reassigned), FromPagerDuty())
            .PermitReentryIf(On(IncidentTrigger.Delegated), FromPagerDuty())
            .PermitDynamicIf(On(IncidentTrigger.DeadlineChecked), AfterClock, answered,
                Guard(ctx => ctx.Source == TriggerSource.Activity && IncidentEvent.Of(ctx) is not null, "Only PagerDuty's answer to the bot's clock reports it."),
                Guard(_ => Data.Escalating is not null, "The incident moved on while PagerDuty was asked; its answer is out of date."))
            .PermitIf(On(IncidentTrigger.Resolved), IncidentState.Resolved, FromPagerDuty())
            .PermitIf(On(IncidentTrigger.Reacknowledged), IncidentState.Acknowledged, [.. FromPagerDuty(),
                Guard(ctx => IncidentEvent.Of(ctx)?.Incident.Status == Ports.PagerIncident.Acknowledged, "PagerDuty does not show it acknowledged.")])
            .OnEntryFrom(On(IncidentTrigger.Escalated), EnterEscalated, "show the new level and whom PagerDuty pages, mention them, restart the clock")
            .OnEntryFrom(On(IncidentTrigger.Reassigned), EnterReassigned, "show the new assignees, restart the clock (none for a direct assignment)")
            .OnEntryFrom(On(IncidentTrigger.Delegated), EnterDelegated, "say which policy pages now; the bot's clock stops")
            .OnEntryFrom(On(IncidentTrigger.DeadlineChecked), EnterClockAnswered, "PagerDuty escalated: show the new level and its people")
            .OnEntryFrom(On(IncidentTrigger.Unacknowledged), EnterUnacknowledged, "mention the level again, restart the clock")
            .OnEntryFrom(On(IncidentTrigger.Reopened), EnterReopened, "say so, forget the old acknowledgement, restart the clock");
        Internal(machine.Configure(IncidentState.Triggered), IncidentTrigger.DeadlineElapsed,
            ctx => ctx.Source == TriggerSource.Timer && ctx.Expectation == Epoch && (Data.Clock == EscalationClock.Bot || Data.AtLastLevel) && Data.ClockStopped is null,
            "This deadline is out of date, or PagerDuty's own policy escalates this incident.", Deadline);
        Internal(machine.Configure(IncidentState.Triggered), IncidentTrigger.Nudge,
            ctx => ctx.Expectation == Epoch && Data.DeadlineAt - ctx.Now >= TimeSpan.FromMinutes(1), "This reminder is out of date or too late to help.", Nudge);
        Internal(machine.Configure(IncidentState.Triggered), IncidentTrigger.Overdue,
            ctx => ctx.Expectation == Epoch && Data.OverdueEpoch != Data.Epoch, "The watchdog already spoke for this level.", Overdue);

        machine.Configure(IncidentState.Acknowledged)
            .PermitIf(On(IncidentTrigger.Unacknowledged), IncidentState.Triggered, FromPagerDuty())
            .PermitIf(On(IncidentTrigger.Escalated), IncidentState.Triggered, FromPagerDuty())
            .PermitIf(On(IncidentTrigger.Reassigned), IncidentState.Triggered, FromPagerDuty())
            .PermitIf(On(IncidentTrigger.Delegated), IncidentState.Triggered, FromPagerDuty())
            .PermitIf(On(IncidentTrigger.Resolved), IncidentState.Resolved, FromPagerDuty())
            .OnEntryFrom(On(IncidentTrigger.Acknowledged), EnterAcknowledged, "stop the clock, say who")
            .OnEntryFrom(On(IncidentTrigger.DeadlineChecked), ctx => Acknowledge(ctx, mayHaveCrossed: false), "acknowledged before the bot's clock could escalate: stop the clock, say who")
            .OnEntryFrom(On(IncidentTrigger.Reacknowledged), EnterReacknowledged, "the bot acknowledged again for the person its escalation crossed: say so")
            .OnEntryFrom(On(IncidentTrigger.Reopened), EnterReopened, "say so");
        Internal(machine.Configure(IncidentState.Acknowledged), IncidentTrigger.Snoozed, ctx => ctx.Source == TriggerSource.Activity, "Only PagerDuty's answer snoozes it.", Snoozed);
        Internal(machine.Configure(IncidentState.Acknowledged), IncidentTrigger.DeadlineChecked, ctx => ctx.Source == TriggerSource.Activity,
            "Only PagerDuty's answer to the bot's clock reports it.", ClockAnsweredLate);
        Internal(machine.Configure(IncidentState.Acknowledged), IncidentTrigger.Reacknowledged, ctx => ctx.Source == TriggerSource.Activity,
            "Only PagerDuty's answer reports it.", Reacknowledged);

        machine.Configure(IncidentState.Resolved)
            .PermitDynamicIf(On(IncidentTrigger.Reopened),
                ctx => IncidentEvent.Of(ctx)?.Incident.Status == Ports.PagerIncident.Acknowledged ? IncidentState.Acknowledged : IncidentState.Triggered,
                reopened, FromPagerDuty())
            .OnEntryFrom(On(IncidentTrigger.Resolved), EnterResolved, "stop the clock, post the summary")
            .OnEntryFrom(On(IncidentTrigger.DeadlineChecked), EnterResolved, "resolved before the bot's clock could escalate: post the summary");
        foreach (var late in new[] { IncidentTrigger.DeadlineChecked, IncidentTrigger.Reacknowledged })
            Internal(machine.Configure(IncidentState.Resolved), late, ctx => ctx.Source == TriggerSource.Activity, "Only PagerDuty's answer reports it.", _ => { });

        foreach (var state in OpenStates) ConfigureButtons(machine.Configure(state));
        foreach (var state in Enum.GetValues<IncidentState>()) ConfigureNotes(machine.Configure(state));
        foreach (var state in Enum.GetValues<IncidentState>()) ConfigureNews(machine.Configure(state));
    }

    /// <summary>
    /// The trigger that brings this incident to where PagerDuty says it is now (<paramref name="live"/>), or null when
    /// it is there already: how the reconciler repairs a lost webhook.
    /// </summary>
    public IncidentTrigger? CatchUp(Ports.PagerIncident live) => (CurrentState, live.Status) switch
    {
        (not IncidentState.Resolved, Ports.PagerIncident.Resolved) => IncidentTrigger.Resolved,
        (IncidentState.Resolved, Ports.PagerIncident.Triggered or Ports.PagerIncident.Acknowledged) => IncidentTrigger.Reopened,
        (IncidentState.Triggered, Ports.PagerIncident.Acknowledged) => IncidentTrigger.Acknowledged,
        (IncidentState.Acknowledged, Ports.PagerIncident.Triggered) => IncidentTrigger.Unacknowledged,
        (IncidentState.Triggered, Ports.PagerIncident.Triggered) when Data.IndexOf(live.Level) is { } level && level != Data.Level => IncidentTrigger.Escalated,
        _ => null,
    };

    private string Epoch => $"epoch:{Data.Epoch}";

    /// <summary>Guards of every trigger that reports what PagerDuty says.</summary>
    private Tuple<Func<FireContext, bool>, string>[] FromPagerDuty() =>
    [
        Guard(ctx => ctx.Source != TriggerSource.Person, "Only PagerDuty says what happened to an incident; use the buttons to act on it."),
        Guard(ctx => IncidentEvent.Of(ctx) is { } news && news.At >= Data.PagerDutyAt, "PagerDuty already showed a newer state of this incident; older news does not move it back."),
    ];

    /// <summary>
    /// Guards of an acknowledgement older than what the thread shows that still counts: it happened after the bot's clock
    /// read PagerDuty and before its escalation landed, which undid it there (the bot then acknowledges again for them).
    /// </summary>
    private Tuple<Func<FireContext, bool>, string>[] CrossedTheClock() =>
    [
        Guard(ctx => ctx.Source != TriggerSource.Person, "Only PagerDuty says what happened to an incident; use the buttons to act on it."),
        Guard(ctx => IncidentEvent.Of(ctx) is { } news && news.At < Data.PagerDutyAt
                     && Data.Escalations.LastOrDefault() is { By: ClockName, AskedAt: { } asked } && news.At >= asked,
            "It did not cross the bot's clock."),
    ];

    /// <summary>The level (0-based) the news puts the incident on, when it says.</summary>
    private int? NewLevel(FireContext ctx) => IncidentEvent.Of(ctx) is { } news ? Data.IndexOf(news.Incident.Level) : null;

    /// <summary>News that changes no state: notes, priorities, answers, diagnostics.</summary>
    private void ConfigureNews(StateMachine<IncidentState, IncidentTrigger>.StateConfiguration state)
    {
        Internal(state, IncidentTrigger.Updated, ctx => ctx.Source != TriggerSource.Person && IncidentEvent.Of(ctx) is not null, "Only PagerDuty updates an incident.", Updated);
        Internal(state, IncidentTrigger.ActionFailed, ctx => ctx.Source == TriggerSource.Activity, "Only a failed call to PagerDuty reports a failure.", ActionFailed);
        Internal(state, IncidentTrigger.Diagnosed, ctx => ctx.Source == TriggerSource.Activity, "Only the diagnostics report their findings.", PostDiagnostics);
        Internal(state, IncidentTrigger.DiagnosticsFailed, ctx => ctx.Source == TriggerSource.Activity, "Only the diagnostics report their failure.",
            ctx => Say(ctx, Line.Of("⚠️ The diagnostics could not be collected: ", ctx.Activity?.Message ?? "unknown failure")));
    }

    private void Apply(IncidentEvent news)
    {
        var i = news.Incident;
        Data.EscalationPolicyId ??= i.EscalationPolicyId;
        if (!string.IsNullOrWhiteSpace(i.Title)) Data.Title = i.Title;
        Data.Number ??= i.Number;
        Data.Service = i.Service ?? Data.Service;
        Data.Urgency = i.Urgency ?? Data.Urgency;
        Data.Priority = i.Priority ?? Data.Priority;
        Data.Url = i.Url ?? Data.Url;
        if (i.Assignees.Count > 0 || i.Status == Ports.PagerIncident.Resolved) Data.Assignees = i.Assignees.ToList();
        if (news.At > Data.PagerDutyAt) Data.PagerDutyAt = news.At;
    }

    /// <summary>
    /// A line in the thread (when there is one) and in the log the summary is made of. An incident of a storm has no thread:
    /// what the channel must hear (<paramref name="broadcast"/>: an escalation, a reminder) goes to the storm digest's thread.
    /// </summary>
    private void Say(FireContext ctx, Line line, bool broadcast = false)
    {
        Data.Log.Add(new IncidentLogEntry(ctx.Now, line.ToPlainText()));
        if (Data.Log.Count > MaxLog) Data.Log.RemoveAt(1); // keep the opening line
        if (HasThread) Timeline(line, broadcast);
        else if (broadcast) ToDigest(Line.Of(Strong(Label), " ", Code(Id), ": ", line));
    }

    /// <summary>A line in the thread of the storm digest that lists this incident (none when it was not in a storm).</summary>
    private void ToDigest(Line line)
    {
        if (Data.DigestKey is not { } digest || Data.Channel.Length == 0) return;
        Send(new OutboxDraft { Channel = Data.Channel, Content = new ChatContent(line), ThreadUnderKey = digest });
    }

    public const int MaxLog = 200;

    /// <summary>Adds who made <paramref name="news"/> happen to the people who acted (not PagerDuty itself, and each person once).</summary>
    private void AddActor(IncidentEvent news)
    {
        if (news.By is not { Length: > 0 } by) return;
        AddActor(by.StartsWith('@') ? new IncidentActor(by, news.ByPagerDuty) : new IncidentActor(null, by));
    }

    private void AddActor(IncidentActor actor)
    {
        var known = Data.People.FindIndex(p =>
            (actor.Slack is not null && string.Equals(p.Slack, actor.Slack, StringComparison.OrdinalIgnoreCase))
            || (actor.PagerDuty is not null && string.Equals(p.PagerDuty, actor.PagerDuty, StringComparison.OrdinalIgnoreCase)));
        if (known < 0)
        {
            Data.People.Add(actor);
            return;
        }
        var merged = Data.People[known];
        Data.People[known] = new IncidentActor(merged.Slack ?? actor.Slack, merged.PagerDuty ?? actor.PagerDuty);
    }

    /// <summary>Who a level's people are, as a mention: a Slack user group or user when configured, else the level's name.</summary>
    private static Span Mention(EscalationLevel level) => level.Notify switch
    {
        ['S', ..] => Group(level.Notify, level.Name),
        ['U' or 'W', ..] => User(level.Notify, level.Name),
        _ => Strong(level.Name),
    };

    /// <summary>Who must answer now: the level's Slack user or group when configured, else whom PagerDuty pages, else the level's name.</summary>
    private Span Expected() => Data.CurrentLevel.Notify.Length == 0 && Data.Assignees.Count > 0
        ? new TextSpan(string.Join(", ", Data.Assignees))
        : Mention(Data.CurrentLevel);

    /// <summary>Who must answer now with the people PagerDuty pages: "@Senior DevOps (Bob Okafor)".</summary>
    private Line ExpectedPeople() => Data.CurrentLevel.Notify.Length > 0 && Data.Assignees.Count > 0
        ? Line.Of(Expected(), $" ({string.Join(", ", Data.Assignees)})")
        : Line.Of(Expected());

    private string LevelName(int index) => $"level {index + 1} ({Data.Levels[Math.Clamp(index, 0, Data.Levels.Count - 1)].Name})";

    /// <summary>The moment a countdown is worked out for: when the card or line is shown (<see cref="DescribeCardAt"/>), else the last transition.</summary>
    private DateTimeOffset ShownAt => _shownAt ?? Last?.At ?? Data.AsOf;

    private DateTimeOffset? _shownAt;

    /// <summary>"by Alice Chen in PagerDuty", "by PagerDuty" (its own policy or clock), "by @rob" (a button), with the reconciler's note.</summary>
    private static string ByWhom(IncidentEvent news) => news.By is null
        ? "by PagerDuty" + (news.Via == IncidentNewsSource.Reconciler ? Via(news) : "")
        : $"by {news.By}{Via(news)}";

    private static string Via(IncidentEvent news) => news.Via switch
    {
        IncidentNewsSource.Reconciler => " (found by the reconciler: PagerDuty's webhook never arrived)",
        IncidentNewsSource.Webhook => " in PagerDuty",
        _ => "",
    };

    /// <summary>A span as people say it: "40 s", "11 min", "1.5 h".</summary>
    public static string Minutes(TimeSpan span) => span switch
    {
        { TotalSeconds: < 90 } => $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))} s",
        { TotalMinutes: < 120 } => $"{(int)Math.Round(span.TotalMinutes)} min",
        _ => $"{span.TotalHours:0.#} h",
    };
}
