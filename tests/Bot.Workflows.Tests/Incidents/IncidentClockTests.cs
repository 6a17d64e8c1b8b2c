using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage.Sqlite;
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>The escalation clock on a fake clock: the bot's own through all four levels, PagerDuty's followed, the watchdog, a restart.</summary>
public sealed class IncidentClockTests : IncidentStoreTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
    }

    private async Task<int> LevelAsync() => (await _host.LoadAsync()).Data.Level;

    [Fact]
    public async Task Unacknowledged_it_escalates_through_the_four_levels_on_time_then_reminds_the_last()
    {
        await _host.OpenAsync();

        foreach (var (level, respondWithin) in Levels.Select((l, i) => (i, l.RespondWithin)).Take(3))
        {
            await _host.AdvanceAsync(respondWithin - Tick);
            Assert.Equal(level, await LevelAsync());
            await _host.AdvanceAsync(Tick);
            Assert.Equal(level + 1, await LevelAsync());
        }
        await _host.AdvanceAsync(TimeSpan.FromHours(2));

        var incident = await _host.LoadAsync();
        Assert.Equal((3, 1), (incident.Data.Level, incident.Data.Reminders));
        Assert.Equal([2, 3, 4], _host.Pager.Writes.Where(w => w.Action == "escalate").Select(w => w.Level!.Value));
        Assert.All(_host.Pager.Writes, w => Assert.Null(w.From));
        Assert.Equal([Start.AddMinutes(15), Start.AddMinutes(45), Start.AddMinutes(105)], incident.Data.Escalations.Select(e => e.At));
        var lines = await _host.LinesAsync();
        Assert.Equal(3, lines.Count(l => l.StartsWith("⏫ Escalated", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("🔁 Still not acknowledged after 2 h at the last level, VP engineering", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_few_minutes_before_the_deadline_the_thread_is_reminded()
    {
        await _host.OpenAsync();

        await _host.AdvanceAsync(TimeSpan.FromMinutes(10));

        Assert.Equal("⏳ 5 min left for @DevOps engineer to acknowledge before the bot escalates to Senior DevOps engineer.", (await _host.LinesAsync())[^1]);
        Assert.Contains("(in 5 min)", (await _host.CardAsync()).Status!.ToPlainText());
    }

    [Fact]
    public async Task Acknowledging_stops_the_clock()
    {
        await _host.OpenAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();

        await _host.AdvanceAsync(TimeSpan.FromHours(6));

        Assert.Equal(0, await LevelAsync());
        Assert.DoesNotContain(_host.Pager.Writes, w => w.Action == "escalate");
    }

    [Fact]
    public async Task A_deadline_that_fires_while_the_acknowledgement_waits_in_the_inbox_pages_nobody_and_the_acknowledgement_still_counts()
    {
        await _host.OpenAsync();
        await _host.AdvanceAsync(Levels[0].RespondWithin - TimeSpan.FromSeconds(10));
        // Alice acknowledges in PagerDuty ten seconds before the deadline; its webhook waits in the inbox (behind a storm).
        var acknowledgedAt = Time.GetUtcNow();
        var live = _host.Pager.Put(_host.Live(PagerIncident.Acknowledged) with { LastChangeBy = "Alice Chen" });

        await _host.AdvanceAsync(TimeSpan.FromSeconds(10));
        // The bot's clock ran out first: it said so, but did not escalate PagerDuty over the acknowledgement (that would page level 2).
        Assert.DoesNotContain(_host.Pager.Writes, w => w.Action == "escalate");
        await _host.NewsAsync(IncidentTrigger.Acknowledged, live, at: acknowledgedAt, eventId: "01ACKLATE");
        await _host.AdvanceAsync(TimeSpan.FromHours(3));

        var incident = await _host.LoadAsync();
        Assert.Equal(IncidentState.Acknowledged, incident.CurrentState);
        Assert.DoesNotContain(_host.Pager.Writes, w => w.Action == "escalate");
        Assert.DoesNotContain(await _host.LinesAsync(), l => l.Contains("page them in PagerDuty by hand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_a_level_still_escalates_once_on_time()
    {
        await _host.OpenAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(10));

        // The bot restarts: a new engine, pump and runner over the same store; the old one is still around too.
        var restarted = new IncidentHost(new SqliteWorkflowStore(StorePath, Time), Time, _host.Pager);
        Time.Advance(TimeSpan.FromMinutes(5));
        await Task.WhenAll(restarted.SettleAsync(), _host.SettleAsync());
        await restarted.SettleAsync();

        var incident = await restarted.LoadAsync();
        Assert.Equal(1, incident.Data.Level);
        Assert.Single(incident.Data.Escalations);
        Assert.Single(_host.Pager.Writes, w => w.Action == "escalate");
    }

    [Fact]
    public async Task A_deadline_that_fires_late_says_so()
    {
        await _host.OpenAsync();

        await _host.AdvanceAsync(TimeSpan.FromMinutes(40)); // the bot was down from minute 1 to 40

        Assert.Contains(await _host.LinesAsync(), l => l.Contains("The deadline passed 25 min ago: the bot could not escalate on time.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_pagerdutys_clock_the_thread_follows_pagerduty_and_shows_its_next_escalation()
    {
        await _host.OpenAsync(Data(EscalationClock.PagerDuty), _host.Live() with { NextEscalationAt = Start.AddMinutes(15) });

        await _host.AdvanceAsync(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30));
        Assert.Equal(0, await LevelAsync());
        await _host.NewsAsync(IncidentTrigger.Escalated, _host.Live(level: 2) with { NextEscalationAt = Start.AddMinutes(46) });

        var incident = await _host.LoadAsync();
        Assert.Equal((1, Start.AddMinutes(46)), (incident.Data.Level, incident.Data.DeadlineAt));
        Assert.Empty(_host.Pager.Writes);
        Assert.Contains("PagerDuty escalates to Engineering manager at 2026-11-30 14:48 UTC (in 30 min)", (await _host.CardAsync()).Status!.ToPlainText());
    }

    [Fact]
    public async Task The_watchdog_says_so_once_when_pagerdutys_escalation_is_overdue()
    {
        await _host.OpenAsync(Data(EscalationClock.PagerDuty), _host.Live() with { NextEscalationAt = Start.AddMinutes(15) });

        await _host.AdvanceAsync(TimeSpan.FromMinutes(16));
        var early = await _host.LoadAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(2));
        await _host.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Null(early.Data.OverdueEpoch);
        var overdue = Assert.Single(await _host.DeliverAsync(), d => d.Text.StartsWith('⏰'));
        Assert.True(overdue.Content.AlsoToChannel);
        Assert.Contains("PagerDuty should have escalated to Senior DevOps engineer at 2026-11-30 14:17 UTC", overdue.Text);
    }

    [Fact]
    public async Task On_pagerdutys_clock_the_bot_still_reminds_the_last_level()
    {
        await _host.OpenAsync(Data(EscalationClock.PagerDuty), _host.Live(level: 4));

        await _host.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(1, (await _host.LoadAsync()).Data.Reminders);
        Assert.Empty(_host.Pager.Writes);
    }

    [Fact]
    public async Task The_acknowledgement_running_out_triggers_it_again_and_restarts_the_level()
    {
        await _host.OpenAsync();
        await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
        await _host.SettleAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(30));

        await _host.NewsAsync(IncidentTrigger.Unacknowledged, _host.Live());

        var incident = await _host.LoadAsync();
        Assert.Equal(IncidentState.Triggered, incident.CurrentState);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(15), incident.Data.DeadlineAt);
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("↩️ Triggered again", StringComparison.Ordinal));
    }
}
