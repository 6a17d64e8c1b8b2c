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
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>The card's buttons: PagerDuty first, as the person who clicked; the incident follows PagerDuty's answer once.</summary>
public sealed class IncidentButtonTests : IncidentStoreTests
{
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
    }

    [Fact]
    public async Task A_new_incident_posts_its_card_and_asks_the_first_level_to_acknowledge()
    {
        await _host.OpenAsync();

        var card = await _host.CardAsync();
        var lines = await _host.LinesAsync();
        Assert.Equal("Incident #42: Lambda function errors: securebase-prod-user-management", card.Title);
        Assert.Equal(["Acknowledge", "Escalate to Senior DevOps engineer", "Resolve"], card.Buttons.Select(b => b.Label));
        Assert.Contains("Escalates to Senior DevOps engineer at 2026-11-30 14:17 UTC (in 15 min)", card.Status!.ToPlainText());
        var opening = Assert.Single(lines);
        Assert.StartsWith("🚨 Triggered in PagerDuty on securebase-prod-lambda", opening);
        Assert.Contains(_host.Chat.Deliveries.SelectMany(d => d.Content.Text.Spans), s => s is GroupSpan { GroupId: "S0DEVOPS" });
    }

    [Fact]
    public async Task Acknowledge_calls_pagerduty_as_the_clicker_and_the_incident_follows_its_answer()
    {
        await _host.OpenAsync();

        var click = await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        var waiting = await _host.LoadAsync();
        await _host.SettleAsync();

        Assert.Equal(FireOutcomeKind.Transitioned, click.Kind);
        Assert.Equal((IncidentState.Triggered, IncidentTrigger.Acknowledge), (waiting.CurrentState, waiting.Data.Pending!.Action));
        Assert.Equal(new FakePager.Write("acknowledge", Id, "rob@securebase.example"), Assert.Single(_host.Pager.Writes));
        var incident = await _host.LoadAsync();
        Assert.Equal(IncidentState.Acknowledged, incident.CurrentState);
        Assert.Null(incident.Data.Pending);
        Assert.Equal("@rob", incident.Data.AcknowledgedBy);
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("✅ Acknowledged by @rob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_webhook_pagerduty_sends_back_for_the_same_acknowledgement_changes_nothing_twice()
    {
        await _host.OpenAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();

        var echo = await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Pager[Id], by: "Rob Ray", eventId: "EV-ACK");

        Assert.Equal(FireOutcomeKind.Refused, echo.Kind);
        Assert.Single(await _host.LinesAsync(), l => l.Contains("Acknowledged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_echo_comes_first_the_answer_that_follows_changes_nothing_and_pagerduty_is_not_asked_twice()
    {
        await _host.OpenAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        // Someone acknowledged in PagerDuty's app at the same moment, and its webhook arrives before the button's call runs.
        await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Live(PagerIncident.Acknowledged), by: "Alice Chen");

        await _host.SettleAsync();

        var incident = await _host.LoadAsync();
        Assert.Empty(_host.Pager.Writes);
        Assert.Equal((IncidentState.Acknowledged, "Alice Chen"), (incident.CurrentState, incident.Data.AcknowledgedBy));
        Assert.Null(incident.Data.Pending);
        Assert.Single(await _host.LinesAsync(), l => l.Contains("Acknowledged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_without_a_pagerduty_account_is_told_so_and_nothing_happens()
    {
        await _host.OpenAsync();

        await _host.ClickAsync(IncidentTrigger.Acknowledge, Nia);
        await _host.SettleAsync();

        var incident = await _host.LoadAsync();
        Assert.Empty(_host.Pager.Writes);
        Assert.Equal(IncidentState.Triggered, incident.CurrentState);
        Assert.Null(incident.Data.Pending);
        var told = Assert.Single(await _host.DeliverAsync(), d => d.Channel == Nia.UserId);
        Assert.Contains("no PagerDuty user with the e-mail of your Slack profile (nia@elsewhere.example)", told.Text);
        Assert.DoesNotContain(await _host.LinesAsync(), l => l.Contains("nia", StringComparison.Ordinal) && !l.StartsWith("Your ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acting_on_an_incident_needs_the_responder_role()
    {
        await _host.OpenAsync();

        var outcome = await _host.ClickAsync(IncidentTrigger.Resolve, Eve);

        Assert.Equal(["Acting on an incident needs the incident responder role; /sb whoami shows yours."], outcome.Reasons);
        Assert.Empty(_host.Pager.Writes);
    }

    [Fact]
    public async Task The_local_shell_acts_only_on_the_sandboxs_incidents()
    {
        await _host.OpenAsync();
        var shellRob = WorkflowActor.ShellUser(Rob.UserId, Rob.UserName);

        var production = await _host.ClickAsync(IncidentTrigger.Acknowledge, shellRob);

        Assert.Equal(["The local shell acts only on the sandbox's incidents, never on production's."], production.Reasons);
    }

    [Fact]
    public async Task A_resolved_incident_is_never_acknowledged_which_would_reopen_it()
    {
        await _host.OpenAsync();
        // Resolved in PagerDuty; its webhook has not arrived yet.
        _host.Pager.Put(_host.Live(PagerIncident.Resolved));

        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();

        Assert.Empty(_host.Pager.Writes);
        Assert.Contains(await _host.LinesAsync(), l => l.Contains("already resolved in PagerDuty; acknowledging it would reopen it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledge_twice_is_refused_with_who_did_it()
    {
        await _host.OpenAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();

        var again = await _host.ClickAsync(IncidentTrigger.Acknowledge, Ria);

        Assert.Equal(["Incident #42 is already acknowledged by @rob."], again.Reasons);
    }

    [Fact]
    public async Task Snooze_needs_an_acknowledged_incident_and_a_duration()
    {
        await _host.OpenAsync();

        var tooEarly = await _host.ClickAsync(IncidentTrigger.Snooze, Rob, "30m");
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();
        var noDuration = await _host.ClickAsync(IncidentTrigger.Snooze, Rob, "soon");
        var snooze = await _host.ClickAsync(IncidentTrigger.Snooze, Rob, "1h30m");
        await _host.SettleAsync();

        Assert.Equal(["PagerDuty snoozes only acknowledged incidents: acknowledge it first."], tooEarly.Reasons);
        Assert.Equal(["Say for how long to snooze it, e.g. 30m or 2h (at most 24h)."], noDuration.Reasons);
        Assert.Equal(FireOutcomeKind.Transitioned, snooze.Kind);
        Assert.Equal(TimeSpan.FromMinutes(90), _host.Pager.Writes[^1].Duration);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(90), (await _host.LoadAsync()).Data.SnoozedUntil);
    }

    [Fact]
    public async Task Escalate_moves_to_the_next_level_once_pagerduty_has_and_tells_the_channel()
    {
        await _host.OpenAsync();

        await _host.ClickAsync(IncidentTrigger.Escalate, Ria);
        await _host.SettleAsync();

        var incident = await _host.LoadAsync();
        Assert.Equal(new FakePager.Write("escalate", Id, "ria@securebase.example", Level: 2), Assert.Single(_host.Pager.Writes));
        Assert.Equal(1, incident.Data.Level);
        var escalation = Assert.Single(await _host.DeliverAsync(), d => d.Text.StartsWith('⏫'));
        Assert.True(escalation.Content.AlsoToChannel);
        Assert.Contains(escalation.Content.Text.Spans, s => s is GroupSpan { GroupId: "S0SENIOR" });
    }

    [Fact]
    public async Task There_is_nobody_to_escalate_to_from_the_last_level()
    {
        await _host.OpenAsync(live: _host.Live(level: 4));

        var outcome = await _host.ClickAsync(IncidentTrigger.Escalate, Rob);

        Assert.Equal(["It is already on the last level (VP engineering); there is nobody left to escalate to."], outcome.Reasons);
    }

    [Fact]
    public async Task Resolving_posts_a_summary_for_the_postmortem_withTimes_in_utc()
    {
        await _host.OpenAsync();
        Time.Advance(TimeSpan.FromMinutes(7));
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(35));
        await _host.ClickAsync(IncidentTrigger.Resolve, Rob);
        await _host.SettleAsync();

        var summary = (await _host.DeliverAsync()).Select(d => d.Content.Card).Single(c => c?.Title.StartsWith("Summary", StringComparison.Ordinal) == true)!;
        var fields = summary.Fields.ToDictionary(f => f.Label, f => f.Value.ToPlainText());
        Assert.Equal("2026-11-30 14:09:00 UTC (after 7 min)", fields["Acknowledged"]);
        Assert.Equal("2026-11-30 14:44:00 UTC (after 42 min)", fields["Resolved"]);
        Assert.Equal("@rob (Rob Ray)", fields["Who acted"]);
        Assert.Contains(summary.Details, l => l.ToPlainText().StartsWith("2026-11-30 14:02:00 UTC  🚨 Triggered", StringComparison.Ordinal));
        Assert.Empty((await _host.CardAsync()).Buttons);
    }

    [Fact]
    public async Task A_button_cannot_claim_to_be_pagerduty()
    {
        await _host.OpenAsync();

        var outcome = await _host.ClickAsync(IncidentTrigger.Resolved, Rob);
        var withText = await _host.ClickAsync(IncidentTrigger.Escalated, Rob, input: "2");

        Assert.Contains("Only PagerDuty says what happened to an incident; use the buttons to act on it.", outcome.Reasons);
        Assert.Contains("Only PagerDuty says what happened to an incident; use the buttons to act on it.", withText.Reasons);
        Assert.Equal(IncidentState.Triggered, (await _host.LoadAsync()).CurrentState);
    }
}
