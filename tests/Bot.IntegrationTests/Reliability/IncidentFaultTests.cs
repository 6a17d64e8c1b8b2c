using System.Net;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// An incident while PagerDuty and Slack fail under it and the bot process stays up: PagerDuty answers 5xx to the
/// escalation on the bot's clock (more often than the client retries, so the activity tries again later) and to the
/// acknowledgement after it acted; Slack fails edits of the card. The incident escalates once and ends acknowledged by
/// Alice, with every message posted once.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class IncidentFaultTests
{
    [Fact]
    public async Task An_incident_escalates_and_is_acknowledged_once_through_PagerDuty_server_errors_and_failed_card_edits()
    {
        await using var rig = await IncidentRig.StartAsync();
        rig.FirstLevelWithin = TimeSpan.FromSeconds(2);
        var escalationsRefused = 0;
        var acknowledgementsLost = 0;
        rig.PagerDuty.Answer = c => c.Operation switch
        {
            // Five 503s without acting: more than the client's three retries, so the activity runs again after its backoff.
            "PagerDuty.Escalate" when Interlocked.Increment(ref escalationsRefused) <= 5 => ProxyAnswer.PagerDutyError(503),
            // PagerDuty acknowledged, and its answer was a 502.
            "PagerDuty.Acknowledge" when Interlocked.Increment(ref acknowledgementsLost) == 1 => ProxyAnswer.PagerDutyError(502, afterForwarding: true),
            _ => null,
        };
        rig.Slack.Script("chat.update", ScriptedResponse.ServerError(), ScriptedResponse.SlackError("internal_error") with { Status = 503 });
        var bot = await rig.StartBotAsync();

        rig.Page();
        Assert.True(await BotRig.WaitUntilAsync(async () => await rig.IsSettledInAsync("Triggered") && rig.InPagerDuty.Level == 2, TimeSpan.FromSeconds(60)),
            $"The incident did not escalate: PagerDuty level {rig.InPagerDuty.Level}\n{rig.Logs}");
        Assert.Equal(HttpStatusCode.OK, await rig.ClickAsync(bot, BotRig.Alice, rig.LatestButton(IncidentRig.AcknowledgeActionId)));
        var acknowledged = await BotRig.WaitUntilAsync(() => rig.IsSettledInAsync("Acknowledged"), TimeSpan.FromSeconds(60));

        Assert.True(acknowledged, $"The incident was not acknowledged: {(await rig.IncidentAsync())?.State}\n{rig.Logs}");
        Assert.Equal("acknowledged", rig.InPagerDuty.Status);
        Assert.Equal(2, rig.InPagerDuty.Level);
        Assert.True(Volatile.Read(ref escalationsRefused) > 5, "The escalation never got past the 503s.");
        Assert.Equal(1, rig.PagerDuty.Count("PagerDuty.Escalate"));
        // The client sends an acknowledgement again after a 5xx (a PUT of an absolute status): PagerDuty had acted on the
        // first, and acknowledging an acknowledged incident again changes nothing there, so the repeat is harmless.
        Assert.Equal(2, rig.PagerDuty.Count("PagerDuty.Acknowledge"));
        await rig.AssertAcknowledgedOnceAsync("DeadlineElapsed");
        Assert.Single(rig.Slack.Calls("chat.postMessage"), r => r.Body.Contains("Acknowledged*", StringComparison.Ordinal));
        Assert.Contains(rig.Slack.Calls("chat.update"), r => r.Status >= 500);
    }
}
