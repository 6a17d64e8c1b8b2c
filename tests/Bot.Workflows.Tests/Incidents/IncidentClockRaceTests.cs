using Bot.Testing.Workflows;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>
/// The bot's clock never fights a human: an acknowledgement that arrives within a second of a level's deadline — as a
/// PagerDuty webhook, as a click in Slack, or both — wins in every order. At the end PagerDuty shows the incident
/// acknowledged, by the person who did it, and no escalation undid their acknowledgement.
/// </summary>
public sealed class IncidentClockRaceTests : IncidentStoreTests
{
    private static readonly TimeSpan Deadline = Levels[0].RespondWithin;
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
        await _host.OpenAsync();
        Time.Advance(Deadline - TimeSpan.FromSeconds(1));
    }

    public enum Order
    {
        WebhookThenDeadline,
        AcknowledgedInPagerDutyJustBeforeTheBotReadsIt,
        AcknowledgedInPagerDutyBetweenTheBotsReadAndItsEscalation,
        ThatCrossingAcknowledgementsWebhookArrivesBeforePagerDutysAnswer,
        WebhookJustAfterTheEscalationLanded,
        ClickThenDeadline,
        DeadlineThenClickBeforePagerDutyWasAsked,
        ClickAndItsWebhookAroundTheDeadline,
        ClickAndSomeoneElsesWebhookAroundTheDeadline,
    }

    public static TheoryData<Order> Orders() => [.. Enum.GetValues<Order>()];

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task An_acknowledgement_within_a_second_of_the_deadline_wins_in_every_order(Order order)
    {
        var expectedBy = await PlayAsync(order);
        await _host.SettleAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(2)); // any deadline that waited has spoken by now

        var live = _host.Pager[Id];
        var incident = await _host.LoadAsync();
        Assert.Equal(PagerIncident.Acknowledged, live.Status);
        Assert.Equal(IncidentState.Acknowledged, incident.CurrentState);
        Assert.Equal(expectedBy, incident.Data.AcknowledgedBy);
        // Never escalated past it: after the last acknowledgement PagerDuty got, nothing escalated it again.
        var writes = _host.Pager.Writes.Select(w => w.Action).ToList();
        Assert.True(writes.LastIndexOf("escalate") < Math.Max(writes.LastIndexOf("acknowledge"), _humanAcknowledgedAfter),
            $"{order}: {string.Join(", ", writes)} (a person acknowledged after write {_humanAcknowledgedAfter})");
        Assert.DoesNotContain(await _host.LinesAsync(), l => l.Contains("did not reach PagerDuty", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Order.WebhookThenDeadline)]
    [InlineData(Order.AcknowledgedInPagerDutyJustBeforeTheBotReadsIt)]
    [InlineData(Order.ClickThenDeadline)]
    [InlineData(Order.ClickAndItsWebhookAroundTheDeadline)]
    public async Task When_the_acknowledgement_reached_pagerduty_first_nobody_else_is_paged(Order order)
    {
        await PlayAsync(order);
        await _host.SettleAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.DoesNotContain(_host.Pager.Writes, w => w.Action == "escalate");
        Assert.Equal(0, (await _host.LoadAsync()).Data.Level);
        Assert.DoesNotContain(await _host.LinesAsync(), l => l.StartsWith('⏫'));
    }

    [Fact]
    public async Task An_acknowledgement_that_crossed_the_escalation_is_restored_for_the_person_and_the_thread_says_so()
    {
        await PlayAsync(Order.AcknowledgedInPagerDutyBetweenTheBotsReadAndItsEscalation);
        await _host.SettleAsync();

        var lines = await _host.LinesAsync();
        Assert.Contains(lines, l => l.StartsWith("↩️ The acknowledgement by Alice Chen crossed the bot's escalation in PagerDuty", StringComparison.Ordinal));
        Assert.Equal(new FakePager.Write("acknowledge", Id, null), _host.Pager.Writes[^1]);
        Assert.Equal("Alice Chen", (await _host.LoadAsync()).Data.AcknowledgedBy);
    }

    /// <summary>Where in the writes a person acknowledged in PagerDuty's own app (-1: never).</summary>
    private int _humanAcknowledgedAfter = -1;

    /// <summary>Plays <paramref name="order"/> from a second before the deadline; returns who should show as the acknowledger.</summary>
    private async Task<string> PlayAsync(Order order)
    {
        switch (order)
        {
            case Order.WebhookThenDeadline:
                Time.Advance(TimeSpan.FromMilliseconds(500));
                await AliceAcknowledgesInPagerDutyAsync(webhook: true);
                await _host.AdvanceAsync(TimeSpan.FromMilliseconds(500));
                return "Alice Chen";

            case Order.AcknowledgedInPagerDutyJustBeforeTheBotReadsIt:
                Time.Advance(TimeSpan.FromSeconds(1));
                await _host.Pump.RunOnceAsync(CancellationToken.None); // the deadline: the bot will ask PagerDuty
                await AliceAcknowledgesInPagerDutyAsync(webhook: false);
                await _host.SettleAsync(); // the bot reads it acknowledged: no escalation
                Time.Advance(TimeSpan.FromMilliseconds(300));
                await AliceWebhookAsync(Time.GetUtcNow() - TimeSpan.FromMilliseconds(300));
                return "Alice Chen";

            case Order.AcknowledgedInPagerDutyBetweenTheBotsReadAndItsEscalation:
                Time.Advance(TimeSpan.FromSeconds(1));
                await _host.Pump.RunOnceAsync(CancellationToken.None);
                var ackedAt = Time.GetUtcNow() + TimeSpan.FromMilliseconds(100);
                _host.Pager.BeforeWrite = async _ =>
                {
                    Time.Advance(TimeSpan.FromMilliseconds(100));
                    await AliceAcknowledgesInPagerDutyAsync(webhook: false);
                    Time.Advance(TimeSpan.FromMilliseconds(100));
                };
                await _host.Runner.RunOnceAsync(CancellationToken.None); // reads triggered, then escalates over Alice's acknowledgement
                Time.Advance(TimeSpan.FromMilliseconds(400));
                await AliceWebhookAsync(ackedAt); // her webhook, older than the escalation
                return "Alice Chen";

            case Order.ThatCrossingAcknowledgementsWebhookArrivesBeforePagerDutysAnswer:
                Time.Advance(TimeSpan.FromSeconds(1));
                await _host.Pump.RunOnceAsync(CancellationToken.None);
                _host.Pager.BeforeWrite = async _ =>
                {
                    Time.Advance(TimeSpan.FromMilliseconds(100));
                    await AliceAcknowledgesInPagerDutyAsync(webhook: true);
                    Time.Advance(TimeSpan.FromMilliseconds(100));
                };
                await _host.Runner.RunOnceAsync(CancellationToken.None);
                return "Alice Chen";

            case Order.WebhookJustAfterTheEscalationLanded:
                await _host.AdvanceAsync(TimeSpan.FromSeconds(1)); // escalated to level 2: Bob is paged
                Time.Advance(TimeSpan.FromMilliseconds(500));
                _humanAcknowledgedAfter = _host.Pager.Writes.Count;
                await _host.NewsAsync(IncidentTrigger.Acknowledged, Acknowledged(_host.Pager[Id], "Bob Okafor"), by: "Bob Okafor");
                return "Bob Okafor";

            case Order.ClickThenDeadline:
                Time.Advance(TimeSpan.FromMilliseconds(500));
                await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
                Time.Advance(TimeSpan.FromMilliseconds(500));
                await _host.Pump.RunOnceAsync(CancellationToken.None); // the deadline waits for the click's answer
                await _host.SettleAsync();
                return "@rob";

            case Order.DeadlineThenClickBeforePagerDutyWasAsked:
                Time.Advance(TimeSpan.FromSeconds(1));
                await _host.Pump.RunOnceAsync(CancellationToken.None);
                Time.Advance(TimeSpan.FromMilliseconds(200));
                await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
                await _host.SettleAsync();
                return "@rob";

            case Order.ClickAndItsWebhookAroundTheDeadline:
                Time.Advance(TimeSpan.FromMilliseconds(300));
                await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
                await _host.Runner.RunOnceAsync(CancellationToken.None); // PagerDuty acknowledged as rob
                Time.Advance(TimeSpan.FromMilliseconds(700));
                await _host.Pump.RunOnceAsync(CancellationToken.None);
                Time.Advance(TimeSpan.FromMilliseconds(200));
                await _host.NewsAsync(IncidentTrigger.Acknowledged, _host.Pager[Id], Time.GetUtcNow() - TimeSpan.FromMilliseconds(900), by: "Rob Ray");
                return "@rob";

            case Order.ClickAndSomeoneElsesWebhookAroundTheDeadline:
                Time.Advance(TimeSpan.FromMilliseconds(700));
                await _host.ClickAsync(IncidentTrigger.Acknowledge, Rob);
                Time.Advance(TimeSpan.FromMilliseconds(300));
                await _host.Pump.RunOnceAsync(CancellationToken.None);
                Time.Advance(TimeSpan.FromMilliseconds(100));
                await AliceAcknowledgesInPagerDutyAsync(webhook: true);
                await _host.SettleAsync();
                return "Alice Chen";

            default:
                throw new ArgumentOutOfRangeException(nameof(order));
        }
    }

    private static PagerIncident Acknowledged(PagerIncident incident, string by) =>
        incident with { Status = PagerIncident.Acknowledged, AcknowledgedBy = by, LastChangeBy = by };

    /// <summary>Alice acknowledges in PagerDuty's app; with <paramref name="webhook"/> its webhook reaches the bot at once.</summary>
    private async Task AliceAcknowledgesInPagerDutyAsync(bool webhook)
    {
        _humanAcknowledgedAfter = _host.Pager.Writes.Count;
        _host.Pager.Put(Acknowledged(_host.Pager[Id], "Alice Chen"));
        if (webhook) await AliceWebhookAsync(Time.GetUtcNow());
    }

    /// <summary>The webhook of Alice's acknowledgement: the incident as it was then (PagerDuty may show something newer since).</summary>
    private Task AliceWebhookAsync(DateTimeOffset at) =>
        _host.NewsAsync(IncidentTrigger.Acknowledged, Acknowledged(_host.Live(), "Alice Chen"), at, by: "Alice Chen", put: false);
}
