using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Workflows.Engine;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Engine;

/// <summary>The engine's own rules: outdated cards, racing clicks, roles resolved at the decision, refusals audited, giving up without losing the timer.</summary>
public sealed class WorkflowEngineTests : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");
    private static readonly WorkflowActor Cy = new("U0CY", "cy");

    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private bool _conflict;
    private WorkflowHost _host = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        _host = new WorkflowHost(ConflictingStore.Wrap(store, () => _conflict), _time);
        await _host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "deploy api v42", Ana), Ana, "req-create", null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }

    private static WorkflowTrigger Click(ApprovalTrigger trigger, WorkflowActor who, long cardVersion, string? key = null) =>
        WorkflowTrigger.For(SampleApproval.Type, "a1", trigger, who) with { CardVersion = cardVersion, IdempotencyKey = key };

    private async Task<SampleApproval> LoadAsync() =>
        (SampleApproval)SampleApproval.Definition.Restore((await _host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!);

    [Fact]
    public async Task A_click_on_an_outdated_card_changes_nothing_and_says_where_things_stand()
    {
        Assert.Equal(FireOutcomeKind.Transitioned, (await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, cardVersion: 1), CancellationToken.None)).Kind);

        var stale = await _host.Engine.FireAsync(Click(ApprovalTrigger.Reject, Cy, cardVersion: 1), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Stale, stale.Kind);
        Assert.Equal("That card is out of date: sample-approval a1 is Applying (Approve by @ben at 14:02 UTC). Nothing was changed.", stale.Describe());
        Assert.Equal(ApprovalState.Applying, (await LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Two_people_clicking_the_same_card_at_once_one_wins_the_other_is_told()
    {
        var outcomes = await Task.WhenAll(
            Task.Run(() => _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1, "click-ben"), CancellationToken.None)),
            Task.Run(() => _host.Engine.FireAsync(Click(ApprovalTrigger.Reject, Cy, 1, "click-cy"), CancellationToken.None)));

        var winner = Assert.Single(outcomes, o => o.Kind == FireOutcomeKind.Transitioned);
        var loser = Assert.Single(outcomes, o => o.Kind != FireOutcomeKind.Transitioned);
        Assert.Equal(FireOutcomeKind.Stale, loser.Kind);
        Assert.Contains(winner.To == "Applying" ? "(Approve by @ben" : "(Reject by @cy", loser.Describe());
    }

    [Fact]
    public async Task The_card_carries_the_version_its_buttons_will_check()
    {
        await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1), CancellationToken.None);
        await _host.DrainOutboxAsync();

        var cards = _host.Chat.Deliveries.Select(d => d.Content.Card).OfType<Bot.Workflows.Messages.Card>().ToList();
        Assert.Equal([1L, 2L], cards.Select(c => c.Ref!.Version));
        Assert.Equal(["Approve", "Reject"], cards[0].Buttons.Select(b => b.Trigger));
        Assert.Empty(cards[1].Buttons);
    }

    [Fact]
    public async Task Roles_are_resolved_at_the_decision_and_a_missing_role_is_named()
    {
        _host.Directory.Grant("U0BEN");

        var refused = await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1), CancellationToken.None);
        _host.Directory.Grant("U0BEN", Role.Approver);
        var allowed = await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1), CancellationToken.None);

        Assert.Equal(["Approving needs the approver role."], refused.Reasons);
        Assert.Equal(FireOutcomeKind.Transitioned, allowed.Kind);
    }

    [Fact]
    public async Task A_caller_cannot_grant_themselves_roles_the_directory_does_not_give()
    {
        _host.Directory.Grant("U0BEN");
        var selfGranted = Ben with { Roles = new HashSet<string> { Role.Approver } };

        var outcome = await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, selfGranted, 1), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Refused, outcome.Kind);
    }

    [Fact]
    public async Task When_the_directory_is_down_the_decision_fails_closed_and_says_so()
    {
        _host.Directory.Unavailable = true;

        var outcome = await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Refused, outcome.Kind);
        Assert.Contains("I could not check your roles (the directory is down in this test), so nothing was changed.", outcome.Describe());
        Assert.Equal(ApprovalState.Pending, (await LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Refusals_of_people_are_audited_with_the_reason()
    {
        await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ana, 1), CancellationToken.None);

        var last = (await _host.Audit.ListAsync(new Bot.Workflows.Audit.AuditQuery(Limit: 1), CancellationToken.None))[0];
        Assert.Equal(("Refused Approve", "U0ANA", "Pending"), (last.Action, last.ActorId, last.Before));
        Assert.Contains("The requester cannot approve their own request", last.DetailsJson);
    }

    [Fact]
    public async Task Giving_up_after_repeated_conflicts_keeps_the_timer_and_remembers_no_outcome()
    {
        _time.Advance(SampleApproval.ReminderAfter);
        _conflict = true;

        Assert.Equal(1, await _host.Pump.RunOnceAsync(CancellationToken.None));
        var busy = await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1, "click-1"), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Busy, busy.Kind);
        Assert.NotNull(await _host.Store.NextTimerDueAsync(CancellationToken.None));
        _conflict = false;
        _time.Advance(Bot.Workflows.Timers.TimerPump.DefaultLease);
        Assert.Equal(1, await _host.Pump.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, (await LoadAsync()).Data.RemindersSent);
        // The click's key kept no outcome: once its claim is abandoned it can be tried again.
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(FireOutcomeKind.Transitioned, (await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, 1, "click-1"), CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task A_transition_that_leaves_the_card_as_it_was_keeps_its_buttons_valid_and_does_not_edit_it()
    {
        _time.Advance(SampleApproval.ReminderAfter);
        await _host.Pump.RunOnceAsync(CancellationToken.None); // a reminder: a timeline line, the card unchanged

        var click = await _host.Engine.FireAsync(Click(ApprovalTrigger.Approve, Ben, cardVersion: 1), CancellationToken.None);
        await _host.DrainOutboxAsync();

        Assert.Equal(FireOutcomeKind.Transitioned, click.Kind);
        Assert.Equal(["post", "post", "update", "post"], _host.Chat.Deliveries.Select(d => d.Kind));
        Assert.Equal(3L, _host.Chat.Deliveries[2].Content.Card!.Ref!.Version);
    }

    [Fact]
    public async Task A_timer_trigger_says_it_came_from_a_timer()
    {
        _time.Advance(SampleApproval.ReminderAfter);
        await _host.Pump.RunOnceAsync(CancellationToken.None);

        var last = (await _host.Audit.ListAsync(new Bot.Workflows.Audit.AuditQuery(Limit: 1), CancellationToken.None))[0];
        Assert.Contains("\"source\":\"Timer\"", last.DetailsJson);
    }
}
