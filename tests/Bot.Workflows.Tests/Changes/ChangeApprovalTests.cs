using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes;

/// <summary>The two-person rule: who may approve, reject, cancel, break the glass; expiry; the digest approvals bind to.</summary>
public sealed class ChangeApprovalTests : ChangeTests
{
    [Fact]
    public async Task Requester_cannot_approve_own_change()
    {
        await Host.RequestAsync(DeployData());

        var outcome = await Host.FireAsync(ChangeTrigger.Approve, Ana);

        Assert.Equal(["You requested this change, so someone else must approve it (two-person rule)."], outcome.Reasons);
        Assert.Equal(ChangeState.PendingApproval, (await Host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Approving_needs_the_approver_role()
    {
        await Host.RequestAsync(DeployData());

        var outcome = await Host.FireAsync(ChangeTrigger.Approve, Eve);

        Assert.Equal(["Approving a change needs the approver role; /sb whoami shows yours."], outcome.Reasons);
    }

    [Fact]
    public async Task Shell_users_cannot_approve_production_but_may_rehearse_in_the_sandbox()
    {
        await Host.RequestAsync(DeployData());
        var rehearsal = DeployData();
        rehearsal.Rehearsal = true;
        await Host.RequestAsync(rehearsal, "CHG-2");
        var shellBen = WorkflowActor.ShellUser(Ben.UserId, Ben.UserName);

        var production = await Host.FireAsync(ChangeTrigger.Approve, shellBen);
        var sandbox = await Host.FireAsync(ChangeTrigger.Approve, shellBen, id: "CHG-2");

        Assert.Equal(["Approvals from the local shell count only against the sandbox account, never in production."], production.Reasons);
        Assert.Equal(FireOutcomeKind.Transitioned, sandbox.Kind);
    }

    [Fact]
    public async Task One_approval_by_someone_else_approves_a_standard_change_bound_to_its_digest()
    {
        await Host.RequestAsync(DeployData());

        var outcome = await Host.FireAsync(ChangeTrigger.Approve, Ben);

        var change = await Host.LoadAsync();
        Assert.Equal(("PendingApproval", "Approved"), (outcome.From, outcome.To));
        var approval = Assert.Single(change.Data.Approvals);
        Assert.Equal((Ben.UserId, change.Data.Spec.Digest()), (approval.UserId, approval.Digest));
        Assert.Equal(change.Data.Digest, approval.Digest);
    }

    [Fact]
    public async Task A_major_change_needs_a_tech_lead_and_an_ops_manager_who_are_two_people()
    {
        await Host.RequestAsync(DeployData(ChangeCategory.Major));

        var first = await Host.FireAsync(ChangeTrigger.Approve, Ben);
        var again = await Host.FireAsync(ChangeTrigger.Approve, Ben);
        var anotherTechLead = await Host.FireAsync(ChangeTrigger.Approve, Dee);
        var manager = await Host.FireAsync(ChangeTrigger.Approve, Cy);

        Assert.Equal(("PendingApproval", "PendingApproval"), (first.From, first.To));
        Assert.Contains("You already approved this change; it needs someone else.", again.Reasons);
        Assert.Equal(["Your approval would not cover what is still needed: an ops manager. One person fills one role."], anotherTechLead.Reasons);
        Assert.Equal("Approved", manager.To);
    }

    [Fact]
    public async Task One_person_holding_both_roles_does_not_approve_a_major_change_alone()
    {
        await Host.RequestAsync(DeployData(ChangeCategory.Major));

        var max = await Host.FireAsync(ChangeTrigger.Approve, Max);
        var change = await Host.LoadAsync();

        Assert.Equal("PendingApproval", max.To);
        Assert.Equal(["an ops manager (someone other than @max)"], ApprovalPolicy.Missing(change.Data, change.Data.Approvals));
        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, Cy)).To);
    }

    [Fact]
    public async Task A_security_relevant_change_also_needs_security()
    {
        var data = DeployData();
        data.SecurityRelevant = true;
        await Host.RequestAsync(data);

        Assert.Equal("PendingApproval", (await Host.FireAsync(ChangeTrigger.Approve, Ben)).To);
        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, Dee)).To);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_the_requester_is_told()
    {
        await Host.RequestAsync(DeployData());

        var silent = await Host.FireAsync(ChangeTrigger.Reject, Ben);
        var rejected = await Host.FireAsync(ChangeTrigger.Reject, Ben, "not during the freeze");
        await DrainAsync();

        Assert.Equal(["Rejecting needs a reason."], silent.Reasons);
        Assert.Equal("Rejected", rejected.To);
        Assert.Contains(Host.Chat.Deliveries, d => d.Channel == Ana.UserId && d.Text == "Your change CHG-1 was rejected by @ben: not during the freeze");
    }

    [Fact]
    public async Task Only_the_requester_can_cancel()
    {
        await Host.RequestAsync(DeployData());

        Assert.Equal(["Only the requester can cancel a change; others can reject it."], (await Host.FireAsync(ChangeTrigger.Cancel, Ben)).Reasons);
        Assert.Equal("Cancelled", (await Host.FireAsync(ChangeTrigger.Cancel, Ana)).To);
    }

    [Fact]
    public async Task An_expired_change_says_so_loses_its_buttons_and_cannot_be_approved()
    {
        await Host.RequestAsync(DeployData(ChangeCategory.Emergency), expiresIn: TimeSpan.FromHours(4));

        Time.Advance(TimeSpan.FromHours(4));
        await Host.SettleAsync();
        var late = await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await DrainAsync();

        Assert.Equal(ChangeState.Expired, (await Host.LoadAsync()).CurrentState);
        Assert.Equal(FireOutcomeKind.Refused, late.Kind);
        var card = Host.Chat.Deliveries.Last(d => d.Content.Card is not null).Content.Card!;
        Assert.Equal("Expired without approval", card.Status!.ToPlainText());
        Assert.Empty(card.Buttons);
    }

    [Fact]
    public async Task Outside_production_the_bot_starts_a_change_without_approval_but_never_in_production()
    {
        await Host.RequestAsync(DeployData(env: "staging"));
        await Host.RequestAsync(DeployData(), "CHG-2");

        var staging = await Host.FireAsync(ChangeTrigger.AutoApprove, WorkflowActor.Bot);
        var prod = await Host.FireAsync(ChangeTrigger.AutoApprove, WorkflowActor.Bot, id: "CHG-2");
        var byPerson = await Host.FireAsync(ChangeTrigger.AutoApprove, Ana);

        Assert.Equal("Approved", staging.To);
        Assert.Equal(["Production changes need a second person's approval."], prod.Reasons);
        Assert.Equal(FireOutcomeKind.Refused, byPerson.Kind);
    }

    [Fact]
    public async Task Break_glass_needs_an_emergency_an_open_incident_and_a_reason()
    {
        await Host.RequestAsync(DeployData(ChangeCategory.Emergency));

        var outcome = await Host.FireAsync(ChangeTrigger.BreakGlass, Ana);

        Assert.Equal(["Breaking the glass needs --incident naming an open PagerDuty incident."], outcome.Reasons);
    }

    [Fact]
    public async Task Break_glass_runs_alone_stays_unreviewed_and_reminds_until_an_approver_reviews_it()
    {
        var data = DeployData(ChangeCategory.Emergency);
        data.IncidentId = "PT4KHLK";
        data.IncidentVerifiedOpen = true;
        Host.Pager.Put(new Bot.Workflows.Ports.PagerIncident("PT4KHLK", "triggered", "user-management failing") { ServiceId = "PSBLMB1", Service = "securebase-prod-lambda" });
        Host.Pager.OpenedBy("PT4KHLK", new Bot.Workflows.Ports.PagerTrigger("service_reference", "PSBLMB1", "securebase-prod-lambda"));
        await Host.RequestAsync(data);

        Assert.Equal("PendingApproval", (await Host.FireAsync(ChangeTrigger.BreakGlass, Ana)).To);
        await Host.SettleAsync();
        Assert.True((await Host.LoadAsync()).Data.BreakGlass);
        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
        Time.Advance(Change.ReviewReminderEvery);
        await Host.SettleAsync();
        var selfReview = await Host.FireAsync(ChangeTrigger.Review, Ana);
        var review = await Host.FireAsync(ChangeTrigger.Review, Ben);
        await DrainAsync();

        Assert.Equal(FireOutcomeKind.Refused, selfReview.Kind);
        Assert.Equal(FireOutcomeKind.Transitioned, review.Kind);
        var change = await Host.LoadAsync();
        Assert.Equal((false, "ben", 1), (change.Data.Unreviewed, change.Data.ReviewedBy, change.Data.ReviewReminders));
        Assert.Contains(Host.Chat.Deliveries, d => d.Text.StartsWith("BREAK-GLASS: @ana is running this Emergency change alone", StringComparison.Ordinal) && d.Content.AlsoToChannel);
        Assert.Contains(Host.Chat.Deliveries, d => d.Text.StartsWith("Reminder: this break-glass change is still unreviewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_approvers_clicking_at_once_approve_once()
    {
        await Host.RequestAsync(DeployData());

        var outcomes = await Task.WhenAll(
            Task.Run(() => Host.Engine.FireAsync(WorkflowTrigger.For(Change.Type, "CHG-1", ChangeTrigger.Approve, Ben) with { CardVersion = 1 }, CancellationToken.None)),
            Task.Run(() => Host.Engine.FireAsync(WorkflowTrigger.For(Change.Type, "CHG-1", ChangeTrigger.Approve, Cy) with { CardVersion = 1 }, CancellationToken.None)));

        Assert.Single(outcomes, o => o.Kind == FireOutcomeKind.Transitioned);
        Assert.Single(outcomes, o => o.Kind == FireOutcomeKind.Stale);
        Assert.Single((await Host.LoadAsync()).Data.Approvals);
    }
}
