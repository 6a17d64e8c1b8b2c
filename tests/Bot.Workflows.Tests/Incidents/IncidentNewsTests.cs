using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>What PagerDuty says: every transition it can cause, and news that is late, repeated or out of order.</summary>
public sealed class IncidentNewsTests : IncidentStoreTests
{
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
        await _host.OpenAsync();
    }

    private DateTimeOffset At(int minutes) => new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero).AddMinutes(minutes);

    [Theory]
    [InlineData(IncidentTrigger.Acknowledged, PagerIncident.Acknowledged, IncidentState.Acknowledged)]
    [InlineData(IncidentTrigger.Resolved, PagerIncident.Resolved, IncidentState.Resolved)]
    [InlineData(IncidentTrigger.Reassigned, PagerIncident.Triggered, IncidentState.Triggered)]
    public async Task News_from_pagerduty_moves_a_triggered_incident(IncidentTrigger trigger, string status, IncidentState expected)
    {
        var outcome = await _host.NewsAsync(trigger, _host.Live(status) with { Assignees = ["Bob Okafor"] }, At(1));

        Assert.Equal(FireOutcomeKind.Transitioned, outcome.Kind);
        var incident = await _host.LoadAsync();
        Assert.Equal(expected, incident.CurrentState);
        Assert.Equal(["Bob Okafor"], incident.Data.Assignees);
    }

    [Fact]
    public async Task An_escalation_to_the_level_it_is_on_changes_nothing()
    {
        var outcome = await _host.NewsAsync(IncidentTrigger.Escalated, _host.Live(level: 1), At(1));

        Assert.Equal(["It is already on that level."], outcome.Reasons);
    }

    [Fact]
    public async Task Older_news_never_moves_the_incident_back()
    {
        await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), At(5));

        var late = await _host.NewsAsync(IncidentTrigger.Unacknowledged, _host.Live(), At(3));

        Assert.Equal(["PagerDuty already showed a newer state of this incident; older news does not move it back."], late.Reasons);
        Assert.Equal(IncidentState.Acknowledged, (await _host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task A_repeated_event_is_handled_once()
    {
        var first = await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), At(1), eventId: "EV1");
        await _host.NewsAsync(IncidentTrigger.Unacknowledged, _host.Live(), At(2), eventId: "EV2");

        var again = await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), At(1), eventId: "EV1");

        Assert.Equal(FireOutcomeKind.Transitioned, first.Kind);
        Assert.Equal(FireOutcomeKind.Duplicate, again.Kind);
        Assert.Equal(IncidentState.Triggered, (await _host.LoadAsync()).CurrentState);
    }

    [Theory]
    [InlineData(PagerIncident.Acknowledged, IncidentState.Acknowledged)]
    [InlineData(PagerIncident.Triggered, IncidentState.Triggered)]
    public async Task A_resolved_incident_reopens_as_pagerduty_says(string status, IncidentState expected)
    {
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved), At(1));

        await _host.NewsAsync(IncidentTrigger.Reopened, _host.Live(status), At(2));

        var incident = await _host.LoadAsync();
        Assert.Equal(expected, incident.CurrentState);
        Assert.Null(incident.Data.ResolvedAt);
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("🔁 Reopened by Alice Chen in PagerDuty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resolved_incident_takes_no_other_news_and_no_buttons()
    {
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved), At(1));

        var ack = await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), At(2));
        var click = await _host.ClickAsync(IncidentTrigger.Escalate, IncidentHost.Rob);

        Assert.Equal(FireOutcomeKind.Refused, ack.Kind);
        Assert.Equal(["Incident #42 is already resolved (by Alice Chen); there is nothing to escalate."], click.Reasons);
    }

    [Fact]
    public async Task A_note_is_a_line_in_the_thread_shown_as_text_never_as_markup()
    {
        var outcome = await _host.NewsAsync(IncidentTrigger.Updated, _host.Live(), At(1), note: "Note by Alice Chen in PagerDuty: <!channel> see <https://evil.example|this>");

        Assert.Equal(FireOutcomeKind.Transitioned, outcome.Kind);
        var note = Assert.Single(await _host.DeliverAsync(), d => d.Text.StartsWith("📝", StringComparison.Ordinal));
        Assert.All(note.Content.Text.Spans, s => Assert.IsType<TextSpan>(s));
    }

    [Fact]
    public async Task The_reconciler_s_repair_says_the_webhook_never_arrived()
    {
        await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), At(1), via: IncidentNewsSource.Reconciler);

        Assert.Contains(await _host.LinesAsync(), l => l.Contains("found by the reconciler: PagerDuty's webhook never arrived", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(IncidentState.Triggered, PagerIncident.Acknowledged, 1, IncidentTrigger.Acknowledged)]
    [InlineData(IncidentState.Triggered, PagerIncident.Resolved, 1, IncidentTrigger.Resolved)]
    [InlineData(IncidentState.Triggered, PagerIncident.Triggered, 2, IncidentTrigger.Escalated)]
    [InlineData(IncidentState.Triggered, PagerIncident.Triggered, 1, null)]
    [InlineData(IncidentState.Acknowledged, PagerIncident.Triggered, 1, IncidentTrigger.Unacknowledged)]
    [InlineData(IncidentState.Acknowledged, PagerIncident.Acknowledged, 1, null)]
    [InlineData(IncidentState.Resolved, PagerIncident.Acknowledged, 1, IncidentTrigger.Reopened)]
    public async Task Catching_up_with_pagerduty_picks_the_trigger_that_leads_there(IncidentState now, string live, int level, IncidentTrigger? expected)
    {
        if (now == IncidentState.Acknowledged) await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), At(1));
        if (now == IncidentState.Resolved) await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved), At(1));

        var trigger = (await _host.LoadAsync()).CatchUp(_host.Live(live, level));

        Assert.Equal(expected, trigger);
    }
}
