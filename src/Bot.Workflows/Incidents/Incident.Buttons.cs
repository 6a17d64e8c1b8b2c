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
    [
        IncidentTrigger.Acknowledge, IncidentTrigger.Escalate, IncidentTrigger.Resolve, IncidentTrigger.Snooze, IncidentTrigger.RunDiagnostics,
        IncidentTrigger.AddNote, IncidentTrigger.Reassign, IncidentTrigger.PublishUpdate,
    ];

    /// <summary>The longest note or status update taken from Slack.</summary>
    public const int MaxNoteText = 2000;

    private const string PersonRule = "Only an incident responder acts on an incident.";

    private void ConfigureButtons(StateMachine<IncidentState, IncidentTrigger>.StateConfiguration state)
    {
        if (state.State == IncidentState.Triggered) Internal(state, IncidentTrigger.Acknowledge, ctx => WhyNot(ctx, IncidentTrigger.Acknowledge) is null, PersonRule, ctx => Ask(ctx, PagerAction.Acknowledge));
        if (state.State == IncidentState.Acknowledged) Internal(state, IncidentTrigger.Snooze, ctx => WhyNot(ctx, IncidentTrigger.Snooze) is null, PersonRule, ctx => Ask(ctx, PagerAction.Snooze));
        Internal(state, IncidentTrigger.Escalate, ctx => WhyNot(ctx, IncidentTrigger.Escalate) is null, PersonRule, ctx => Ask(ctx, PagerAction.Escalate));
        Internal(state, IncidentTrigger.Resolve, ctx => WhyNot(ctx, IncidentTrigger.Resolve) is null, PersonRule, ctx => Ask(ctx, PagerAction.Resolve));
        Internal(state, IncidentTrigger.RunDiagnostics, ctx => WhyNot(ctx, IncidentTrigger.RunDiagnostics) is null, "Only a person asks for the diagnostics again.", Rediagnose);
        Internal(state, IncidentTrigger.Reassign, ctx => WhyNot(ctx, IncidentTrigger.Reassign) is null, PersonRule, Reassign);
        Internal(state, IncidentTrigger.PublishUpdate, ctx => WhyNot(ctx, IncidentTrigger.PublishUpdate) is null, PersonRule, ctx => Write(ctx, PagerAction.StatusUpdate));
    }

    /// <summary>A note may be added in every state, a resolved incident's too (for the postmortem).</summary>
    private void ConfigureNotes(StateMachine<IncidentState, IncidentTrigger>.StateConfiguration state) =>
        Internal(state, IncidentTrigger.AddNote, ctx => WhyNot(ctx, IncidentTrigger.AddNote) is null, PersonRule, ctx => Write(ctx, PagerAction.Note));

    /// <summary>A note or a status update from Slack: written to PagerDuty as the person; the thread shows it once PagerDuty has it.</summary>
    private void Write(FireContext ctx, PagerAction action)
    {
        var person = new IncidentPerson(ctx.Actor.UserId, ctx.Actor.UserName, ctx.Actor.Kind);
        var activity = new IncidentAction(Id, action, person) { Text = InputText(ctx) };
        AuditDetail("pagerduty", activity.Describe());
        Run($"{(action == PagerAction.Note ? "note" : "update")}~{person.UserId}", activity, IncidentTrigger.Updated, IncidentTrigger.ActionFailed);
    }

    /// <summary>Assign it to a person (directly: PagerDuty does not escalate it then) or move it to a level, as the person who asked.</summary>
    private void Reassign(FireContext ctx)
    {
        var person = new IncidentPerson(ctx.Actor.UserId, ctx.Actor.UserName, ctx.Actor.Kind);
        var target = ReassignTarget(ctx)!;
        var (activity, answer) = target.Level is { } level
            ? (new IncidentAction(Id, PagerAction.Escalate, person, ToLevel: level), IncidentTrigger.Escalated)
            : (new IncidentAction(Id, PagerAction.Assign, person) { AssignTo = target.Person }, IncidentTrigger.Reassigned);
        AuditDetail("pagerduty", activity.Describe());
        Run($"reassign~{person.UserId}", activity, answer, IncidentTrigger.ActionFailed);
    }

    /// <summary>Whom <c>/sb reassign</c> names: <c>level N</c>, a Slack user (<c>&lt;@U…&gt;</c> or <c>U…</c>) or a PagerDuty user's e-mail.</summary>
    private sealed record ReassignTo(int? Level, string? Person);

    private ReassignTo? ReassignTarget(FireContext ctx)
    {
        var text = InputText(ctx)?.Trim() ?? "";
        var level = LevelText().Match(text);
        if (level.Success)
            return int.TryParse(level.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= Data.Levels.Count ? new ReassignTo(n, null) : null;
        var mention = SlackUser().Match(text);
        if (mention.Success) return new ReassignTo(null, mention.Groups["id"].Value);
        return System.Net.Mail.MailAddress.TryCreate(text, out var address) && address.Address == text ? new ReassignTo(null, text) : null;
    }

    private static string? InputText(FireContext ctx) => ctx.Argument("input") is { } text && text.Trim() is { Length: > 0 } trimmed ? trimmed : null;

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
        if (trigger is IncidentTrigger.AddNote or IncidentTrigger.PublishUpdate && InputText(ctx) is not { Length: <= MaxNoteText })
            return $"Say what to {(trigger == IncidentTrigger.AddNote ? "note" : "tell the stakeholders")}, in quotes (at most {MaxNoteText} characters).";
        if (trigger == IncidentTrigger.Reassign && ReassignTarget(ctx) is null)
            return $"Say whom to assign it to: a person (a Slack mention, or their PagerDuty e-mail) or a level, e.g. level 2 (1 to {Data.Levels.Count}).";
        // A second click (the same person's double click, or someone else's at the same moment) while PagerDuty is being
        // asked for the same thing changes nothing: the first one's answer decides.
        if (Data.Pending is { } pending && pending.Action == trigger)
            return $"@{pending.UserName} asked PagerDuty to {Verb(trigger)} incident {Label} a moment ago; its answer shows here shortly.";
        return null;
    }

    protected override IReadOnlyList<string> DescribeRefusal(IncidentTrigger trigger, IReadOnlyCollection<string> unmetGuards)
    {
        if (!PersonTriggers.Contains(trigger)) return base.DescribeRefusal(trigger, unmetGuards);
        if (CurrentState == IncidentState.Resolved && trigger != IncidentTrigger.AddNote)
            return [$"Incident {Label} is already resolved{(Data.ResolvedBy is { } by ? $" (by {by})" : "")}; there is nothing to {Verb(trigger)}."];
        if (WhyNot(Context, trigger) is { } why) return [why];
        return trigger switch
        {
            IncidentTrigger.Acknowledge => [$"Incident {Label} is already acknowledged{(Data.AcknowledgedBy is { } who ? $" by {who}" : "")}."],
            IncidentTrigger.Snooze => ["PagerDuty snoozes only acknowledged incidents: acknowledge it first."],
            _ => base.DescribeRefusal(trigger, unmetGuards),
        };
    }

    private static string Verb(IncidentTrigger trigger) => trigger switch
    {
        IncidentTrigger.RunDiagnostics => "diagnose",
        IncidentTrigger.AddNote => "add a note to",
        IncidentTrigger.PublishUpdate => "publish a status update on",
        _ => trigger.ToString().ToLowerInvariant(),
    };

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

    [GeneratedRegex(@"^level\s*(?<n>[0-9]{1,2})$", RegexOptions.IgnoreCase)]
    private static partial Regex LevelText();

    [GeneratedRegex(@"^(?:<@(?<id>[UW][A-Z0-9]{2,20})(?:\|[^>]*)?>|(?<id>[UW][A-Z0-9]{2,20}))$")]
    private static partial Regex SlackUser();

    // ASCII digits only: \d matches the digits of every script, which int.Parse refuses.
    [GeneratedRegex(@"^(?:(?<bare>[0-9]{1,4})|(?:(?<h>[0-9]{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(?<m>[0-9]{1,4})\s*m(?:in(?:utes?)?)?)?)$")]
    private static partial Regex SnoozeText();
}
