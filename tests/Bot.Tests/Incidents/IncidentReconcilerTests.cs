using Bot.Testing;
using Bot.Tests;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;

using Bot.Testing.Workflows;

namespace Bot.Tests.Incidents;

/// <summary>The reconciler polls PagerDuty's open incidents so a lost webhook cannot leave a thread wrong.</summary>
public sealed class IncidentReconcilerTests : IncidentStoreTests
{
    private IncidentDesk _desk = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _desk = new IncidentDesk(Store, Time);
    }

    private async Task<PagerIncident> FollowedAsync()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live());
        await _desk.HandleAsync(_desk.Event("incident.triggered", live));
        return live;
    }

    [Fact]
    public async Task A_run_repairs_a_lost_acknowledgement_webhook()
    {
        var live = await FollowedAsync();
        Time.Advance(TimeSpan.FromMinutes(2));
        _desk.Host.Pager.Put(live with { Status = PagerIncident.Acknowledged, LastChangeBy = "Alice Chen" }); // its webhook was lost

        var report = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new Bot.Commands.Incidents.ReconcileReport(1, 0, 1), report);
        Assert.Equal(IncidentState.Acknowledged, (await _desk.Host.LoadAsync()).CurrentState);
        Assert.Contains(await _desk.Host.LinesAsync(), l => l.StartsWith("✅ Acknowledged by Alice Chen (found by the reconciler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_opens_the_thread_whose_trigger_webhook_was_lost()
    {
        _desk.Host.Pager.Put(_desk.Host.Live(level: 2));

        var report = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, report.Opened);
        var incident = await _desk.Host.LoadAsync();
        Assert.Equal((IncidentState.Triggered, 1), (incident.CurrentState, incident.Data.Level));
        Assert.Contains(await _desk.Host.LinesAsync(), l => l.Contains("found by the reconciler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_resolves_what_pagerduty_resolved_when_the_webhook_was_lost()
    {
        var live = await FollowedAsync();
        _desk.Host.Pager.Put(live with { Status = PagerIncident.Resolved, LastChangeBy = "Bob Okafor" });

        await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        var incident = await _desk.Host.LoadAsync();
        Assert.Equal((IncidentState.Resolved, "Bob Okafor"), (incident.CurrentState, incident.Data.ResolvedBy));
    }

    /// <summary>A busy month: <paramref name="count"/> incidents resolved after the one under test (each a record in the store).</summary>
    private async Task ResolvedSinceAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Store.CommitAsync(new Bot.Workflows.Storage.UnitOfWork
            {
                Aggregate = new Bot.Workflows.Storage.AggregateRecord(Incident.Type, $"QDONE{i:D4}", nameof(IncidentState.Resolved), "{}", 1, Time.GetUtcNow()),
                Audit = new Bot.Workflows.Audit.AuditDraft { At = Time.GetUtcNow(), ActorId = "test", ActorName = "test", Action = "Resolved" },
            }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_open_incident_behind_more_than_500_newer_ones_is_still_listed_and_resolved_when_pagerduty_resolved_it()
    {
        var live = await FollowedAsync();
        await ResolvedSinceAsync(Bot.Commands.Incidents.IncidentReads.MaxListed + 1);
        _desk.Host.Pager.Put(live with { Status = PagerIncident.Resolved, LastChangeBy = "Bob Okafor" }); // its webhook was lost

        var listed = await Bot.Commands.Incidents.IncidentReads.OpenAsync(Store, CancellationToken.None);
        var counted = await Bot.Operations.WorkflowCensus.IncidentsOpenAsync(Store, CancellationToken.None);
        var byNumber = await Bot.Commands.Incidents.IncidentReads.FindAsync(Store, $"#{(await _desk.Host.LoadAsync()).Data.Number}", CancellationToken.None);
        await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal([live.Id], listed.Select(i => i.Id));
        Assert.Equal(1, counted);
        Assert.Equal(live.Id, byNumber?.Id);
        Assert.Equal((IncidentState.Resolved, "Bob Okafor"), ((await _desk.Host.LoadAsync()).CurrentState, (await _desk.Host.LoadAsync()).Data.ResolvedBy));
    }

    [Fact]
    public async Task A_webhook_that_arrives_while_the_reconciler_runs_is_not_undone()
    {
        var live = await FollowedAsync();
        _desk.Host.Pager.AfterList = async () =>
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await _desk.HandleAsync(_desk.Event("incident.acknowledged", live with { Status = PagerIncident.Acknowledged }));
        };

        var report = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, report.Repaired);
        Assert.Equal(IncidentState.Acknowledged, (await _desk.Host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task A_second_run_finds_nothing_to_repair()
    {
        var live = await FollowedAsync();
        _desk.Host.Pager.Put(live with { Level = 3 });

        var first = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);
        var second = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first.Repaired, second.Repaired));
        Assert.Equal(2, (await _desk.Host.LoadAsync()).Data.Level);
    }

    [Fact]
    public async Task A_read_taken_before_the_bots_clock_escalated_does_not_undo_the_escalation()
    {
        await FollowedAsync();
        Time.Advance(TimeSpan.FromMinutes(15));
        // The reconciler reads PagerDuty (still level 1) just before the bot's clock escalates it to level 2.
        _desk.Host.Pager.AfterList = () =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(200));
            return _desk.Host.SettleAsync();
        };

        var report = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, report.Repaired);
        Assert.Equal(1, (await _desk.Host.LoadAsync()).Data.Level);
    }

    [Fact]
    public async Task Another_teams_open_incidents_get_no_reconciler_pass()
    {
        await FollowedAsync();
        _desk.Host.Pager.Put(_desk.Host.Live(id: "Q2PAYMENTS") with { Service = "payments-prod-api", ServiceId = "PPAYAPI", TeamIds = ["PPAYTEAM"] });

        var report = await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new Bot.Commands.Incidents.ReconcileReport(1, 0, 0), report);
        Assert.Null(await _desk.Host.Store.LoadAsync(Incident.Type, "Q2PAYMENTS", CancellationToken.None));
    }

    [Fact]
    public async Task An_escalation_found_by_the_reconciler_is_credited_to_pagerduty_not_to_whoever_changed_the_status_last()
    {
        var live = await FollowedAsync();
        Time.Advance(TimeSpan.FromMinutes(3));
        _desk.Host.Pager.Put(live with { Level = 2, Assignees = ["Bob Okafor"], LastChangeBy = "securebase-prod-lambda" }); // its webhook was lost

        await _desk.Reconciler.RunOnceAsync(CancellationToken.None);

        var escalated = Assert.Single(await _desk.Host.LinesAsync(), l => l.StartsWith('⏫'));
        Assert.Contains(" by PagerDuty (found by the reconciler", escalated);
        Assert.DoesNotContain("securebase-prod-lambda", escalated);
        Assert.Equal("PagerDuty", (await _desk.Host.LoadAsync()).Data.Escalations.Single().By);
    }
}
