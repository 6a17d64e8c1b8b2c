using Bot.Testing;
using Bot.Tests;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;

using Bot.Testing.Workflows;

namespace Bot.Tests.Incidents;

/// <summary>PagerDuty's webhook events become the Incident workflow's triggers: first news opens a thread; repeats, replays and late events change nothing.</summary>
public sealed class IncidentEventSinkTests : IncidentStoreTests
{
    private IncidentDesk _desk = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _desk = new IncidentDesk(Store, Time);
    }

    [Fact]
    public async Task A_triggered_webhook_opens_a_thread_with_the_level_read_from_pagerduty_and_the_playbook()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live(level: 2) with { NextEscalationAt = Start.AddMinutes(30) });

        await _desk.HandleAsync(_desk.Event("incident.triggered", live with { Level = null }));

        var incident = await _desk.Host.LoadAsync();
        Assert.Equal((IncidentState.Triggered, 1), (incident.CurrentState, incident.Data.Level));
        Assert.Equal(("lambda-errors", "securebase-prod-user-management"), (incident.Data.Playbook!.Name, incident.Data.Playbook.Function));
        Assert.Equal(EscalationOptionsDefaults, incident.Data.Levels.Select(l => (l.Name, l.RespondWithin)));
        Assert.False(incident.Data.Quiet);
    }

    private static readonly (string, TimeSpan)[] EscalationOptionsDefaults =
        [("DevOps engineer", TimeSpan.FromMinutes(15)), ("Senior DevOps engineer", TimeSpan.FromMinutes(30)), ("Engineering manager", TimeSpan.FromHours(1)), ("VP engineering", TimeSpan.FromHours(2))];

    [Fact]
    public async Task The_same_event_delivered_twice_is_handled_once()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live());
        await _desk.HandleAsync(_desk.Event("incident.triggered", live));
        var ack = _desk.Event("incident.acknowledged", live with { Status = PagerIncident.Acknowledged }, Start.AddMinutes(1), eventId: "01ACK");
        var unack = _desk.Event("incident.unacknowledged", live, Start.AddMinutes(2));

        await _desk.HandleAsync(ack);
        await _desk.HandleAsync(unack);
        await _desk.HandleAsync(ack);

        Assert.Equal(IncidentState.Triggered, (await _desk.Host.LoadAsync()).CurrentState);
        Assert.Single(await _desk.Host.LinesAsync(), l => l.StartsWith('✅'));
    }

    [Fact]
    public async Task Events_out_of_order_never_move_an_incident_backwards()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live());
        await _desk.HandleAsync(_desk.Event("incident.triggered", live));

        await _desk.HandleAsync(_desk.Event("incident.resolved", live with { Status = PagerIncident.Resolved }, Start.AddMinutes(9)));
        await _desk.HandleAsync(_desk.Event("incident.acknowledged", live with { Status = PagerIncident.Acknowledged }, Start.AddMinutes(4)));

        Assert.Equal(IncidentState.Resolved, (await _desk.Host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task When_the_first_news_is_an_acknowledgement_the_thread_opens_and_catches_up()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live(PagerIncident.Acknowledged));

        await _desk.HandleAsync(_desk.Event("incident.acknowledged", live, Start.AddMinutes(3)));

        var incident = await _desk.Host.LoadAsync();
        Assert.Equal(IncidentState.Acknowledged, incident.CurrentState);
        Assert.Equal("Alice Chen", incident.Data.AcknowledgedBy);
    }

    [Fact]
    public async Task News_of_a_closed_incident_the_bot_never_followed_is_ignored()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live(PagerIncident.Resolved));

        await _desk.HandleAsync(_desk.Event("incident.resolved", live));

        Assert.Null(await _desk.Host.Store.LoadAsync(Incident.Type, live.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_ping_and_event_types_the_bot_does_not_follow_change_nothing()
    {
        await _desk.HandleAsync(new() { Id = "01PING", EventType = "pagey.ping", DataType = "ping", PingMessage = "Hello" });
        await _desk.HandleAsync(new() { Id = "01SVC", EventType = "service.updated" });

        Assert.Empty(await _desk.Host.Store.ListAggregatesAsync(Incident.Type, null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_note_and_a_new_priority_are_lines_in_the_thread()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live());
        await _desk.HandleAsync(_desk.Event("incident.triggered", live));

        await _desk.HandleAsync(_desk.Event("incident.annotated", live) with
        {
            DataType = "incident_note",
            Incident = null,
            Note = new() { Incident = new() { Id = live.Id }, Content = "Rolled back <!here>" },
        });
        await _desk.HandleAsync(_desk.Event("incident.priority_updated", live) with { });

        var lines = await _desk.Host.LinesAsync();
        Assert.Contains("📝 Note by Alice Chen in PagerDuty: Rolled back <!here>", lines);
        Assert.Contains("📝 Alice Chen set the priority to none in PagerDuty.", lines);
    }

    [Fact]
    public async Task Another_teams_incident_in_the_same_account_never_gets_a_thread()
    {
        var other = _desk.Host.Pager.Put(_desk.Host.Live(id: "Q2PAYMENTS") with { Service = "payments-prod-api", ServiceId = "PPAYAPI", TeamIds = ["PPAYTEAM"] });

        await _desk.HandleAsync(_desk.Event("incident.triggered", other));
        await _desk.HandleAsync(_desk.Event("incident.escalated", other with { Level = 2 }, Start.AddMinutes(15)));
        await _desk.HandleAsync(_desk.Event("incident.acknowledged", other with { Status = PagerIncident.Acknowledged }, Start.AddMinutes(16)));

        Assert.Null(await _desk.Host.Store.LoadAsync(Incident.Type, other.Id, CancellationToken.None));
        Assert.Empty(await _desk.Host.DeliverAsync());
    }

    [Fact]
    public async Task An_incident_of_a_securebase_service_but_another_team_is_not_followed_either()
    {
        var other = _desk.Host.Pager.Put(_desk.Host.Live(id: "Q3SHARED") with { TeamIds = ["PPAYTEAM"] });

        await _desk.HandleAsync(_desk.Event("incident.triggered", other));

        Assert.Null(await _desk.Host.Store.LoadAsync(Incident.Type, other.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_published_status_update_and_a_responders_reply_are_lines_in_the_thread()
    {
        var live = _desk.Host.Pager.Put(_desk.Host.Live());
        await _desk.HandleAsync(_desk.Event("incident.triggered", live));

        await _desk.HandleAsync(_desk.Event("incident.status_update_published", live) with
        {
            DataType = "incident_status_update",
            Incident = null,
            StatusUpdate = new() { Id = "PSU1", Incident = new() { Id = live.Id }, Message = "Logins work again" },
        });
        await _desk.HandleAsync(_desk.Event("incident.responder.replied", live, agent: "Bob Okafor") with
        {
            DataType = "incident_responder",
            Incident = null,
            Responder = new() { Incident = new() { Id = live.Id }, User = new() { Id = "PBOB001", Summary = "Bob Okafor" }, State = "accepted" },
        });

        var lines = await _desk.Host.LinesAsync();
        Assert.Contains("📣 Status update by Alice Chen in PagerDuty: Logins work again", lines);
        Assert.Contains("📝 Bob Okafor accepted the request to help in PagerDuty.", lines);
    }

    [Fact]
    public async Task An_event_whose_commit_died_after_its_key_was_claimed_is_in_doubt_and_applied_once_that_claim_is_abandoned()
    {
        // The store dies once, at the commit of the note's transition (after the engine claimed the event's key).
        var dieAtCommit = 0;
        var (store, _) = StoreSpy.Wrap(Store, m =>
        {
            if (m.Name == nameof(Bot.Workflows.Storage.IWorkflowStore.CommitAsync) && Interlocked.Exchange(ref dieAtCommit, 0) == 1)
                throw new IOException("the store went away");
        });
        var desk = new IncidentDesk(store, Time);
        var live = desk.Host.Pager.Put(desk.Host.Live());
        await desk.HandleAsync(desk.Event("incident.triggered", live));
        var note = desk.Event("incident.annotated", live) with
        {
            DataType = "incident_note",
            Incident = null,
            Note = new() { Incident = new() { Id = live.Id }, Content = "Restarted the pool" },
        };

        Interlocked.Exchange(ref dieAtCommit, 1);
        await Assert.ThrowsAsync<IOException>(() => desk.HandleAsync(note));
        // Delivered again at once: the key is claimed and has no outcome. Not handled, not failed: in doubt.
        await Assert.ThrowsAsync<Bot.Workflows.Engine.OutcomeInDoubtException>(() => desk.HandleAsync(note));
        Assert.DoesNotContain(await desk.Host.LinesAsync(), l => l.Contains("Restarted the pool", StringComparison.Ordinal));

        Time.Advance(Bot.Workflows.Engine.OutcomeInDoubtException.AbandonedAfter + TimeSpan.FromSeconds(1));
        await desk.HandleAsync(note);
        await desk.HandleAsync(note);

        Assert.Single(await desk.Host.LinesAsync(), l => l.Contains("Restarted the pool", StringComparison.Ordinal));
    }
}
