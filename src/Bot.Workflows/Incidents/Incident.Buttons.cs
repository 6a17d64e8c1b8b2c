using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;

namespace Bot.Workflows.Incidents;

/// <summary>
/// The card's buttons. A button only asks: it calls PagerDuty as the person who clicked (an activity, after the click
/// is saved) and the incident changes when PagerDuty answers — or when its webhook arrives, whichever comes first.
/// </summary>
public sealed partial class Incident
{
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromHours(24);

    private static readonly IncidentTrigger[] PersonTriggers =
        [IncidentTrigger.Acknowledge, IncidentTrigger.Escalate, IncidentTrigger.Resolve, IncidentTrigger.Snooze, IncidentTrigger.RunDiagnostics];

    private const string PersonRule = "Only an incident responder acts on an incident.";

    private void ConfigureButtons(StateMachine<IncidentState, IncidentTrigger>.StateConfiguration state)
    {
        if (state.State == IncidentState.Triggered) Internal(state, IncidentTrigger.Acknowledge, ctx => WhyNot(ctx, IncidentTrigger.Acknowledge) is null, PersonRule, ctx => Ask(ctx, PagerAction.Acknowledge));
        if (state.State == IncidentState.Acknowledged) Internal(state, IncidentTrigger.Snooze, ctx => WhyNot(ctx, IncidentTrigger.Snooze) is null, PersonRule, ctx => Ask(ctx, PagerAction.Snooze));
        Internal(state, IncidentTrigger.Escalate, ctx => WhyNot(ctx, IncidentTrigger.Escalate) is null, PersonRule, ctx => Ask(ctx, PagerAction.Escalate));
        Internal(state, IncidentTrigger.Resolve, ctx => WhyNot(ctx, IncidentTrigger.Resolve) is null, PersonRule, ctx => Ask(ctx, PagerAction.Resolve));
        Internal(state, IncidentTrigger.RunDiagnostics, ctx => WhyNot(ctx, IncidentTrigger.RunDiagnostics) is null, "Only a person asks for the diagnostics again.", Rediagnose);
    }

    /// <summary>
    /// Acknowledge and Resolve mean the same whatever the card showed: honoured from any version of it (an already resolved
    /// incident says so). Escalate and Snooze depend on what the card showed (the level, the acknowledgement): an outdated
    /// card's click changes nothing.
    /// </summary>
    protected override bool IsIntent(IncidentTrigger trigger) => trigger is IncidentTrigger.Acknowledge or IncidentTrigger.Resolve;

    /// <summary>Why <paramref name="ctx"/>'s person may not press <paramref name="trigger"/> now; null when they may.</summary>
    private string? WhyNot(FireContext ctx, IncidentTrigger trigger)
    {
        if (ctx.Source != TriggerSource.Person || !ctx.Actor.IsPerson) return "Only a person presses an incident's buttons.";
        if (trigger == IncidentTrigger.RunDiagnostics)
            return Data.Playbook is not { HasTarget: true } ? "No playbook matches this incident, so there is nothing to look at."
                : !HasThread ? "This incident has no thread of its own (it arrived in a storm), so there is nowhere to post the diagnostics."
                : null;
        if (ctx.Actor.Kind == ActorKind.ShellUser && !Data.Rehearsal) return "The local shell acts only on the sandbox's incidents, never on production's.";
        if (!ctx.Actor.Has(Role.Responder)) return "Acting on an incident needs the incident responder role; /sb whoami shows yours.";
        if (trigger == IncidentTrigger.Escalate && Data.AtLastLevel)
            return $"It is already on the last level ({Data.CurrentLevel.Name}); there is nobody left to escalate to.";
        if (trigger == IncidentTrigger.Snooze && SnoozeFor(ctx) is null) return "Say for how long to snooze it, e.g. 30m or 2h (at most 24h).";
        // A second click (the same person's double click, or someone else's at the same moment) while PagerDuty is being
        // asked for the same thing changes nothing: the first one's answer decides.
        if (Data.Pending is { } pending && pending.Action == trigger)
            return $"@{pending.UserName} asked PagerDuty to {Verb(trigger)} incident {Label} a moment ago; its answer shows here shortly.";
        return null;
    }

    protected override IReadOnlyList<string> DescribeRefusal(IncidentTrigger trigger, IReadOnlyCollection<string> unmetGuards)
    {
        if (!PersonTriggers.Contains(trigger)) return base.DescribeRefusal(trigger, unmetGuards);
        if (CurrentState == IncidentState.Resolved)
            return [$"Incident {Label} is already resolved{(Data.ResolvedBy is { } by ? $" (by {by})" : "")}; there is nothing to {Verb(trigger)}."];
        if (WhyNot(Context, trigger) is { } why) return [why];
        return trigger switch
        {
            IncidentTrigger.Acknowledge => [$"Incident {Label} is already acknowledged{(Data.AcknowledgedBy is { } who ? $" by {who}" : "")}."],
            IncidentTrigger.Snooze => ["PagerDuty snoozes only acknowledged incidents: acknowledge it first."],
            _ => base.DescribeRefusal(trigger, unmetGuards),
        };
    }

    private static string Verb(IncidentTrigger trigger) => trigger == IncidentTrigger.RunDiagnostics ? "diagnose" : trigger.ToString().ToLowerInvariant();

    /// <summary>Records the request and asks PagerDuty, as the person, in an activity that runs after this is saved.</summary>
    private void Ask(FireContext ctx, PagerAction action)
    {
        var person = new IncidentPerson(ctx.Actor.UserId, ctx.Actor.UserName, ctx.Actor.Kind);
        var (trigger, activity, answer) = action switch
        {
            PagerAction.Acknowledge => (IncidentTrigger.Acknowledge, new IncidentAction(Id, action, person), IncidentTrigger.Acknowledged),
            PagerAction.Resolve => (IncidentTrigger.Resolve, new IncidentAction(Id, action, person), IncidentTrigger.Resolved),
            PagerAction.Escalate => (IncidentTrigger.Escalate, new IncidentAction(Id, action, person, ToLevel: Data.Level + 2), IncidentTrigger.Escalated),
            _ => (IncidentTrigger.Snooze, new IncidentAction(Id, action, person, SnoozeFor: SnoozeFor(ctx)), IncidentTrigger.Snoozed),
        };
        Data.Pending = new PendingAction(trigger, person.UserId, person.Name, ctx.Now, activity.SnoozeFor);
        AuditDetail("pagerduty", activity.Describe());
        Run(action.ToString().ToLowerInvariant(), activity, answer, IncidentTrigger.ActionFailed);
    }

    private void Rediagnose(FireContext ctx)
    {
        Data.DiagnosticsRuns++;
        Say(ctx, Line.Of("🔎 ", ctx.Actor, " asked for the diagnostics again."));
        Run("diagnose", new DiagnoseIncident(Id, Data.Playbook!, ctx.Now), IncidentTrigger.Diagnosed, IncidentTrigger.DiagnosticsFailed);
    }

    /// <summary>The snooze a person asked for (<c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>45</c> minutes), at most <see cref="MaxSnooze"/>; null when unreadable.</summary>
    public static TimeSpan? ParseSnooze(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = SnoozeText().Match(text.Trim().ToLowerInvariant());
        if (!match.Success) return null;
        var hours = match.Groups["h"].Success ? int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
        var minutes = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (match.Groups["bare"].Success) minutes = int.Parse(match.Groups["bare"].Value, CultureInfo.InvariantCulture);
        var span = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes);
        return span > TimeSpan.Zero && span <= MaxSnooze ? span : null;
    }

    private static TimeSpan? SnoozeFor(FireContext ctx) => ParseSnooze(ctx.Argument("input"));

    // ASCII digits only: \d matches the digits of every script, which int.Parse refuses.
    [GeneratedRegex(@"^(?:(?<bare>[0-9]{1,4})|(?:(?<h>[0-9]{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(?<m>[0-9]{1,4})\s*m(?:in(?:utes?)?)?)?)$")]
    private static partial Regex SnoozeText();
}
