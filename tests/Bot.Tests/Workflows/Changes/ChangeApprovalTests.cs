using Bot.Testing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Bot.Tests.Workflows.Changes.ChangeHost;

namespace Bot.Tests.Workflows.Changes;

/// <summary>The two-person rule: who may approve, reject, cancel, break the glass; expiry; the digest approvals bind to.</summary>
public sealed class ChangeApprovalTests : IAsyncLifetime
{
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero));
    private ChangeHost _host = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        _host = new ChangeHost(store, _time);
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Requester_cannot_approve_own_change()
    {
        await _host.RequestAsync(DeployData());

        var outcome = await _host.FireAsync(ChangeTrigger.Approve, Ana);

        Assert.Equal(["You requested this change, so someone else must approve it (two-person rule)."], outcome.Reasons);
        Assert.Equal(ChangeState.PendingApproval, (await _host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Approving_needs_the_approver_role()
    {
        await _host.RequestAsync(DeployData());

        var outcome = await _host.FireAsync(ChangeTrigger.Approve, Eve);

        Assert.Equal(["Approving a change needs the approver role; /sb whoami shows yours."], outcome.Reasons);
    }

    [Fact]
    public async Task Shell_users_cannot_approve_production_but_may_rehearse_in_the_sandbox()
    {
        await _host.RequestAsync(DeployData());
        var rehearsal = DeployData();
        rehearsal.Rehearsal = true;
        await _host.RequestAsync(rehearsal, "CHG-2");
        var shellBen = WorkflowActor.ShellUser(Ben.UserId, Ben.UserName);

        var production = await _host.FireAsync(ChangeTrigger.Approve, shellBen);
        var sandbox = await _host.FireAsync(ChangeTrigger.Approve, shellBen, id: "CHG-2");

        Assert.Equal(["Approvals from the local shell count only against the sandbox account, never in production."], production.Reasons);
        Assert.Equal(FireOutcomeKind.Transitioned, sandbox.Kind);
    }

    [Fact]
    public async Task One_approval_by_someone_else_approves_a_standard_change_bound_to_its_digest()
    {
        await _host.RequestAsync(DeployData());

        var outcome = await _host.FireAsync(ChangeTrigger.Approve, Ben);

        var change = await _host.LoadAsync();
        Assert.Equal(("PendingApproval", "Approved"), (outcome.From, outcome.To));
        var approval = Assert.Single(change.Data.Approvals);
        Assert.Equal((Ben.UserId, change.Data.Spec.Digest()), (approval.UserId, approval.Digest));
        Assert.Equal(change.Data.Digest, approval.Digest);
    }

    [Fact]
    public async Task A_major_change_needs_a_tech_lead_and_an_ops_manager_who_are_two_people()
    {
        await _host.RequestAsync(DeployData(ChangeCategory.Major));

        var first = await _host.FireAsync(ChangeTrigger.Approve, Ben);
        var again = await _host.FireAsync(ChangeTrigger.Approve, Ben);
        var anotherTechLead = await _host.FireAsync(ChangeTrigger.Approve, Dee);
        var manager = await _host.FireAsync(ChangeTrigger.Approve, Cy);

        Assert.Equal(("PendingApproval", "PendingApproval"), (first.From, first.To));
        Assert.Contains("You already approved this change; it needs someone else.", again.Reasons);
        Assert.Equal(["Your approval would not cover what is still needed: an ops manager."], anotherTechLead.Reasons);
        Assert.Equal("Approved", manager.To);
    }

    [Fact]
    public async Task One_person_holding_both_roles_does_not_approve_a_major_change_alone()
    {
        await _host.RequestAsync(DeployData(ChangeCategory.Major));

        var max = await _host.FireAsync(ChangeTrigger.Approve, Max);
        var change = await _host.LoadAsync();

        Assert.Equal("PendingApproval", max.To);
        Assert.Equal(["an ops manager (another person)"], ApprovalPolicy.Missing(change.Data, change.Data.Approvals));
        Assert.Equal("Approved", (await _host.FireAsync(ChangeTrigger.Approve, Cy)).To);
    }

    [Fact]
    public async Task A_security_relevant_change_also_needs_security()
    {
        var data = DeployData();
        data.SecurityRelevant = true;
        await _host.RequestAsync(data);

        Assert.Equal("PendingApproval", (await _host.FireAsync(ChangeTrigger.Approve, Ben)).To);
        Assert.Equal("Approved", (await _host.FireAsync(ChangeTrigger.Approve, Dee)).To);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_the_requester_is_told()
    {
        await _host.RequestAsync(DeployData());

        var silent = await _host.FireAsync(ChangeTrigger.Reject, Ben);
        var rejected = await _host.FireAsync(ChangeTrigger.Reject, Ben, "not during the freeze");
        await DrainAsync();

        Assert.Equal(["Rejecting needs a reason."], silent.Reasons);
        Assert.Equal("Rejected", rejected.To);
        Assert.Contains(_host.Chat.Deliveries, d => d.Channel == Ana.UserId && d.Text == "Your change CHG-1 was rejected by @ben: not during the freeze");
    }

    [Fact]
    public async Task Only_the_requester_can_cancel()
    {
        await _host.RequestAsync(DeployData());

        Assert.Equal(["Only the requester can cancel a change; others can reject it."], (await _host.FireAsync(ChangeTrigger.Cancel, Ben)).Reasons);
        Assert.Equal("Cancelled", (await _host.FireAsync(ChangeTrigger.Cancel, Ana)).To);
    }

    [Fact]
    public async Task An_expired_change_says_so_loses_its_buttons_and_cannot_be_approved()
    {
        await _host.RequestAsync(DeployData(ChangeCategory.Emergency), expiresIn: TimeSpan.FromHours(4));

        _time.Advance(TimeSpan.FromHours(4));
        await _host.SettleAsync();
        var late = await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await DrainAsync();

        Assert.Equal(ChangeState.Expired, (await _host.LoadAsync()).CurrentState);
        Assert.Equal(FireOutcomeKind.Refused, late.Kind);
        var card = _host.Chat.Deliveries.Last(d => d.Content.Card is not null).Content.Card!;
        Assert.Equal("Expired without approval", card.Status!.ToPlainText());
        Assert.Empty(card.Buttons);
    }

    [Fact]
    public async Task Outside_production_the_bot_starts_a_change_without_approval_but_never_in_production()
    {
        await _host.RequestAsync(DeployData(env: "staging"));
        await _host.RequestAsync(DeployData(), "CHG-2");

        var staging = await _host.FireAsync(ChangeTrigger.AutoApprove, WorkflowActor.Bot);
        var prod = await _host.FireAsync(ChangeTrigger.AutoApprove, WorkflowActor.Bot, id: "CHG-2");
        var byPerson = await _host.FireAsync(ChangeTrigger.AutoApprove, Ana);

        Assert.Equal("Approved", staging.To);
        Assert.Equal(["Production changes need a second person's approval."], prod.Reasons);
        Assert.Equal(FireOutcomeKind.Refused, byPerson.Kind);
    }

    [Fact]
    public async Task Break_glass_needs_an_emergency_an_open_incident_and_a_reason()
    {
        await _host.RequestAsync(DeployData(ChangeCategory.Emergency));

        var outcome = await _host.FireAsync(ChangeTrigger.BreakGlass, Ana);

        Assert.Equal(["Breaking the glass needs --incident naming an open PagerDuty incident."], outcome.Reasons);
    }

    [Fact]
    public async Task Break_glass_runs_alone_stays_unreviewed_and_reminds_until_an_approver_reviews_it()
    {
        var data = DeployData(ChangeCategory.Emergency);
        data.IncidentId = "PT4KHLK";
        data.IncidentVerifiedOpen = true;
        await _host.RequestAsync(data);

        Assert.Equal("Approved", (await _host.FireAsync(ChangeTrigger.BreakGlass, Ana)).To);
        await _host.SettleAsync();
        Assert.Equal("8", _host.Cloud.AliasVersion(Fn));
        _time.Advance(Change.ReviewReminderEvery);
        await _host.SettleAsync();
        var selfReview = await _host.FireAsync(ChangeTrigger.Review, Ana);
        var review = await _host.FireAsync(ChangeTrigger.Review, Ben);
        await DrainAsync();

        Assert.Equal(FireOutcomeKind.Refused, selfReview.Kind);
        Assert.Equal(FireOutcomeKind.Transitioned, review.Kind);
        var change = await _host.LoadAsync();
        Assert.Equal((false, "ben", 1), (change.Data.Unreviewed, change.Data.ReviewedBy, change.Data.ReviewReminders));
        Assert.Contains(_host.Chat.Deliveries, d => d.Text.StartsWith("BREAK-GLASS: @ana is running this Emergency change alone", StringComparison.Ordinal) && d.Content.AlsoToChannel);
        Assert.Contains(_host.Chat.Deliveries, d => d.Text.StartsWith("Reminder: this break-glass change is still unreviewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_approvers_clicking_at_once_approve_once()
    {
        await _host.RequestAsync(DeployData());

        var outcomes = await Task.WhenAll(
            Task.Run(() => _host.Engine.FireAsync(WorkflowTrigger.For(Change.Type, "CHG-1", ChangeTrigger.Approve, Ben) with { CardVersion = 1 }, CancellationToken.None)),
            Task.Run(() => _host.Engine.FireAsync(WorkflowTrigger.For(Change.Type, "CHG-1", ChangeTrigger.Approve, Cy) with { CardVersion = 1 }, CancellationToken.None)));

        Assert.Single(outcomes, o => o.Kind == FireOutcomeKind.Transitioned);
        Assert.Single(outcomes, o => o.Kind == FireOutcomeKind.Stale);
        Assert.Single((await _host.LoadAsync()).Data.Approvals);
    }

    private async Task DrainAsync()
    {
        for (var i = 0; i < 100 && await _host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await _host.Sender.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
