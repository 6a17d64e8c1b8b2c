using Bot.Testing.Workflows;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>What the thread and the card say is what PagerDuty did, by whom, and when — never a guess made before it answered.</summary>
public sealed class IncidentSaysItRightTests : IncidentStoreTests
{
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
    }

    [Fact]
    public async Task The_thread_moves_only_when_pagerduty_has_escalated_and_then_names_whom_it_pages()
    {
        await _host.OpenAsync();
        Time.Advance(Levels[0].RespondWithin);

        await _host.Pump.RunOnceAsync(CancellationToken.None); // time is up; PagerDuty not asked yet
        var asking = await _host.LoadAsync();
        await _host.SettleAsync();

        Assert.Equal(0, asking.Data.Level);
        Assert.Contains("the bot is asking PagerDuty to escalate", asking.DescribeCardAt(Time.GetUtcNow()).Status!.ToPlainText());
        var escalated = Assert.Single(await _host.LinesAsync(), l => l.StartsWith('⏫'));
        Assert.StartsWith("⏫ Escalated to level 2 (Senior DevOps engineer): nobody on level 1 acknowledged within 15 min. @Senior DevOps engineer (Bob Okafor) please acknowledge by",
            escalated);
        Assert.Equal(["Bob Okafor"], (await _host.LoadAsync()).Data.Assignees);
    }

    [Fact]
    public async Task A_reopened_incident_forgets_who_acknowledged_it_before()
    {
        await _host.OpenAsync();
        await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), Start.AddMinutes(1));
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved), Start.AddMinutes(2));

        await _host.NewsAsync(IncidentTrigger.Reopened, _host.Live(), Start.AddMinutes(3), by: "Bob Okafor");

        var incident = await _host.LoadAsync();
        Assert.Equal(IncidentState.Triggered, incident.CurrentState);
        Assert.Null(incident.Data.AcknowledgedBy);
        Assert.DoesNotContain("Alice Chen", (await _host.CardAsync()).Status!.ToPlainText());
    }

    [Fact]
    public async Task Who_acted_lists_each_person_once_and_only_what_took_effect()
    {
        await _host.OpenAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Nia); // no PagerDuty account: nothing happens
        await _host.SettleAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Ria);
        await _host.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        await _host.NewsAsync(IncidentTrigger.Updated, _host.Pager[Id], by: "Ria Roy", note: "Note by Ria Roy in PagerDuty: rolled back");
        Time.Advance(TimeSpan.FromMinutes(1));
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved), by: "Alice Chen");

        var summary = (await _host.DeliverAsync()).Select(d => d.Content.Card).Single(c => c?.Title.StartsWith("Summary", StringComparison.Ordinal) == true)!;
        Assert.Equal("@ria (Ria Roy), Alice Chen", summary.Fields.Single(f => f.Label == "Who acted").Value.ToPlainText());
    }

    [Fact]
    public async Task A_snooze_that_ends_says_the_snooze_ended()
    {
        await _host.OpenAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();
        await _host.ClickAsync(IncidentTrigger.Snooze, Rob, "30m");
        await _host.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(30));

        await _host.NewsAsync(IncidentTrigger.Unacknowledged, _host.Live(), by: null);

        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("↩️ Triggered again: the snooze ended.", StringComparison.Ordinal));
        Assert.DoesNotContain(await _host.LinesAsync(), l => l.Contains("acknowledgement ran out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_outdated_card_names_the_person_who_acted_not_the_bot()
    {
        await _host.OpenAsync();
        var shown = (await _host.LoadAsync()).CardVersion;
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();

        var outcome = await _host.ClickAsync(IncidentTrigger.Escalate, Ria, cardVersion: shown);

        Assert.Equal(FireOutcomeKind.Stale, outcome.Kind);
        var reason = Assert.Single(outcome.Reasons);
        Assert.Contains("acknowledged by @rob", reason);
        Assert.DoesNotContain("bot", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Acknowledge_from_a_card_one_escalation_behind_is_honoured_and_escalate_is_not()
    {
        await _host.OpenAsync();
        var shown = (await _host.LoadAsync()).CardVersion;
        await _host.AdvanceAsync(Levels[0].RespondWithin); // the clock escalated: the card on screen is behind

        var escalate = await _host.ClickAsync(IncidentTrigger.Escalate, Ria, cardVersion: shown);
        var acknowledge = await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob, cardVersion: shown);
        await _host.SettleAsync();

        Assert.Equal(FireOutcomeKind.Stale, escalate.Kind);
        Assert.Equal(FireOutcomeKind.Transitioned, acknowledge.Kind);
        Assert.Equal(IncidentState.Acknowledged, (await _host.LoadAsync()).CurrentState);
        Assert.Equal(PagerIncident.Acknowledged, _host.Pager[Id].Status);
    }

    [Fact]
    public async Task Resolve_from_an_outdated_card_of_a_resolved_incident_says_it_is_resolved()
    {
        await _host.OpenAsync();
        var shown = (await _host.LoadAsync()).CardVersion;
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved), by: "Alice Chen");

        var resolve = await _host.ClickAsync(IncidentTrigger.Resolve, Rob, cardVersion: shown);

        Assert.Equal(["Incident #42 is already resolved (by Alice Chen); there is nothing to resolve."], resolve.Reasons);
        Assert.Empty(_host.Pager.Writes);
    }

    [Fact]
    public async Task A_direct_assignment_stops_the_bots_clock_and_says_so()
    {
        await _host.OpenAsync();

        await _host.NewsAsync(IncidentTrigger.Reassigned, _host.Live() with { AssignedVia = PagerIncident.DirectAssignment, Assignees = ["Erin Novak"] }, by: "Alice Chen");
        await _host.AdvanceAsync(TimeSpan.FromHours(4));

        var incident = await _host.LoadAsync();
        Assert.Empty(_host.Pager.Writes);
        Assert.Null(incident.Data.DeadlineAt);
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("👤 Reassigned to Erin Novak by Alice Chen in PagerDuty: a direct assignment, which PagerDuty never escalates", StringComparison.Ordinal));
        Assert.StartsWith("Triggered — level 1 (DevOps engineer) must acknowledge. No escalation clock: it is assigned directly to Erin Novak", (await _host.CardAsync()).Status!.ToPlainText());
    }

    [Fact]
    public async Task A_delegation_to_another_policy_stops_the_bots_clock_and_says_which_policy_pages()
    {
        await _host.OpenAsync();

        await _host.NewsAsync(IncidentTrigger.Delegated, _host.Live() with { EscalationPolicyId = "PDBA001", EscalationPolicy = "Database admins", Assignees = ["Dana Lee"] }, by: "Alice Chen");
        await _host.AdvanceAsync(TimeSpan.FromHours(4));

        Assert.Empty(_host.Pager.Writes);
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("↪️ Delegated to the Database admins escalation policy by Alice Chen in PagerDuty: PagerDuty pages Dana Lee now. The bot's clock stops", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pagerdutys_own_escalation_is_followed_once_and_the_bots_clock_does_not_escalate_it_again()
    {
        await _host.OpenAsync();
        Time.Advance(TimeSpan.FromMinutes(14));
        await _host.NewsAsync(IncidentTrigger.Escalated, _host.Live(level: 2) with { Assignees = ["Bob Okafor"] }, by: null);

        await _host.AdvanceAsync(TimeSpan.FromMinutes(2)); // level 1's old deadline passes

        var incident = await _host.LoadAsync();
        Assert.Equal(1, incident.Data.Level);
        Assert.Equal([("PagerDuty", 0, 1)], incident.Data.Escalations.Select(e => (e.By, e.From, e.To)));
        Assert.Empty(_host.Pager.Writes);
    }

    [Fact]
    public async Task When_pagerduty_cannot_be_reached_the_clock_stays_on_its_level_says_so_once_and_asks_again()
    {
        await _host.OpenAsync();
        _host.Pager.FailNextWrite = new PortException("ServerError", "PagerDuty answered 503.", transient: false);

        await _host.AdvanceAsync(Levels[0].RespondWithin);
        var failed = await _host.LoadAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, failed.Data.Level);
        Assert.Single(await _host.LinesAsync(), l => l.StartsWith("⚠️ PagerDuty was not escalated: PagerDuty answered 503.", StringComparison.Ordinal));
        Assert.Equal(1, (await _host.LoadAsync()).Data.Level);
        Assert.Single(_host.Pager.Writes, w => w.Action == "escalate");
    }

    [Fact]
    public async Task A_storm_incident_s_escalations_reach_the_digest_and_past_level_one_it_gets_a_thread()
    {
        var data = Data();
        data.Quiet = true;
        data.DigestKey = "incident-intake/C0OPS/storm-1";
        await _host.OpenAsync(data);

        await _host.AdvanceAsync(Levels[0].RespondWithin);

        var deliveries = await _host.DeliverAsync();
        Assert.Contains(deliveries, d => d.Text == "#42 escalated to level 2 (Senior DevOps engineer): it has a thread of its own now.");
        var card = Assert.Single(deliveries, d => d.Kind == "post" && d.Content.Card?.Ref?.AggregateType == Incident.Type);
        Assert.Equal(Channel, card.Channel);
        var line = Assert.Single(deliveries, d => d.Text.StartsWith("⏫ Escalated to level 2", StringComparison.Ordinal));
        Assert.Equal(card.Ts, line.ThreadTs);
        Assert.False((await _host.LoadAsync()).Data.Quiet);
    }
}
