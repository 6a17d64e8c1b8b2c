using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>
/// Break-glass: the requester of an Emergency change runs it alone for a real, still-open SecureBase incident that they
/// did not open themselves. The click asks the pager first (failing to read means no); the change then stays
/// unreviewed — reminded every four hours, escalated to the ops managers after a day — until an approver reviews it.
/// </summary>
public sealed partial class Change
{
    public static readonly TimeSpan ReviewReminderEvery = TimeSpan.FromHours(4);
    public static readonly TimeSpan ReviewEscalationAfter = TimeSpan.FromHours(24);

    private void ConfigureBreakGlassRequest(StateMachine<ChangeState, ChangeTrigger>.StateConfiguration pending)
    {
        Internal(pending, ChangeTrigger.BreakGlass, ctx => FirstUnmetBreakGlassRule(ctx) is null, BreakGlassRulesUnmet, ctx =>
        {
            Data.BreakGlassCheckSince = ctx.Now;
            Timeline(Line.Of(ctx.Actor, " asked to run this change alone (break-glass) for incident ", Code(Data.IncidentId!), ". Checking the incident with PagerDuty first."));
            Run("break-glass-check", new CheckBreakGlassIncident(Data.IncidentId!, Data.RequesterId, Data.RequesterName), ChangeTrigger.BreakGlassCleared, ChangeTrigger.BreakGlassRefused);
        });

        Internal(pending, ChangeTrigger.BreakGlassRefused, ctx => ctx.Source == TriggerSource.Activity && Data.BreakGlassCheckSince is not null, "Only the pager's answer ends a break-glass check.", ctx =>
        {
            Data.BreakGlassCheckSince = null;
            Data.IncidentFinding = ctx.Activity?.Message ?? "the incident could not be checked";
            AuditDetail("breakGlassRefused", Data.IncidentFinding);
            Timeline(Line.Of(Strong("Break-glass refused: "), Data.IncidentFinding, ". Nothing ran; the change still needs ",
                string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals)), "."), alsoToChannel: true);
            Notify(Data.RequesterId, Line.Of("Break-glass for your change ", Code(Id), " was refused: ", Data.IncidentFinding, ". Nothing ran."));
        });
    }

    /// <summary>The rules a break-glass request must meet before the pager is asked, in the order a refusal names them.</summary>
    private IEnumerable<(Func<FireContext, bool> Test, string Rule)> BreakGlassRules =>
    [
        (ctx => ctx.Source == TriggerSource.Person && ctx.Actor.UserId == Data.RequesterId, "Only the requester can break the glass on their own change."),
        (_ => Data.Category == ChangeCategory.Emergency, "Only an Emergency change can run without a second person."),
        (_ => Data.IncidentId is not null, "Breaking the glass needs --incident naming an open PagerDuty incident."),
        (_ => !string.IsNullOrWhiteSpace(Data.Reason), "Breaking the glass needs a reason."),
        (ctx => ctx.Now < Data.ExpiresAt, "This change has expired; request it again."),
        (ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "The local shell cannot break the glass in production."),
        (ctx => ctx.Actor.Has(Role.Approver) || ctx.Actor.Has(Role.Responder), "Breaking the glass needs the approver or responder role."),
        (_ => Data.BreakGlassCheckSince is null, "The incident is being checked with PagerDuty already; the card says what comes of it."),
    ];

    /// <summary>The guard's description; a refusal names the first rule not met instead (<see cref="DescribeRefusal"/>).</summary>
    private const string BreakGlassRulesUnmet = "Breaking the glass needs an Emergency change of yours, with a reason and an open incident.";

    private string? FirstUnmetBreakGlassRule(FireContext ctx) => BreakGlassRules.FirstOrDefault(r => !r.Test(ctx)).Rule;

    private void StartBreakGlass(FireContext ctx)
    {
        Data.BreakGlass = true;
        Data.Unreviewed = true;
        Data.BrokeGlassAt = ctx.Now;
        Data.BreakGlassCheckSince = null;
        Data.IncidentFinding = ctx.Activity?.Message;
        CancelTimer("expiry");
        AuditDetail("breakGlass", $"incident {Data.IncidentId}: {Data.IncidentFinding}");
        Timeline(Line.Of(Strong("BREAK-GLASS: "), User(Data.RequesterId, Data.RequesterName), " is running this Emergency change alone for incident ", Code(Data.IncidentId!),
            " (", Data.IncidentFinding ?? "checked with PagerDuty", "). It stays unreviewed until someone else with the approver role reviews it."), alsoToChannel: true);
        SetTimer("review-reminder", ChangeTrigger.RemindReview, ctx.Now + ReviewReminderEvery, "review:1");
        RunPreflight(ctx);
    }

    private void ConfigureReview(StateMachine<ChangeState, ChangeTrigger>.StateConfiguration state)
    {
        Internal(state, ChangeTrigger.Review,
            ctx => Data.Unreviewed && ctx.Source == TriggerSource.Person && ctx.Actor.UserId != Data.RequesterId && ctx.Actor.Has(Role.Approver)
                   && (ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal),
            "A break-glass change is reviewed once, by someone else holding the approver role.",
            ctx =>
            {
                Data.Unreviewed = false;
                Data.ReviewedBy = ctx.Actor.UserName;
                CancelTimer("review-reminder");
                Timeline(Line.Of(ctx.Actor, " reviewed this break-glass change."));
            });
        Internal(state, ChangeTrigger.RemindReview, ctx => Data.Unreviewed && ctx.Expectation == $"review:{Data.ReviewReminders + 1}", "This reminder is out of date.", ctx =>
        {
            Data.ReviewReminders++;
            if (Data.ReviewEscalatedAt is null && Data.BrokeGlassAt is { } broke && ctx.Now - broke >= ReviewEscalationAfter)
            {
                Data.ReviewEscalatedAt = ctx.Now;
                AuditDetail("escalated", Role.OpsManager);
                var managers = ContactsOf(Role.OpsManager);
                Timeline(Line.Of([Strong("Unreviewed for a day: "), .. (managers.Count > 0 ? Joined(managers, " ") : ["ops managers"]),
                    ": this break-glass change (", Data.Spec.Describe(), ", by @", Data.RequesterName, ") still has no review. Someone with the approver role, please review it."]), alsoToChannel: true);
            }
            else
            {
                Timeline(Line.Of("Reminder: this break-glass change is still unreviewed. Someone with the approver role (not the requester), please review it."), alsoToChannel: true);
            }
            // Until it is reviewed, however long that takes.
            SetTimer("review-reminder", ChangeTrigger.RemindReview, ctx.Now + ReviewReminderEvery, $"review:{Data.ReviewReminders + 1}");
        });
    }
}
