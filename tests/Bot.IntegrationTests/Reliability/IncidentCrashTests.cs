using Bot.Testing;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// A PagerDuty incident with the bot killed (SIGKILL, a real process) at each of its steps and started again on the same
/// store: the incident still ends acknowledged by Alice (escalated once on the bot's clock where its deadline passed),
/// with one card in Slack, each call to PagerDuty made once, every transition audited once in an intact chain, and every
/// message posted once. Bounded: short leases; PagerDuty's webhooks retried within seconds.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class IncidentCrashTests
{
    public static TheoryData<string> Points => new(IncidentKillPoints.All);

    [Theory]
    [MemberData(nameof(Points))]
    public async Task An_incident_killed_at_a_step_ends_acknowledged_after_a_restart_with_one_card_and_each_PagerDuty_call_made_once(string point)
    {
        await using var rig = await IncidentRig.StartAsync();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RestartableBotServer? bot = null;
        // Kills once; afterwards everything passes (the restarted instance must be able to finish).
        bool Kill()
        {
            if (!killed.TrySetResult()) return true;
            bot!.Kill();
            return false;
        }
        IncidentKillPoints.Arm(point, rig, Kill);
        bot = await rig.StartBotAsync();
        var escalates = point == IncidentKillPoints.EscalationUnheard;

        rig.Page();
        if (IncidentKillPoints.BeforeClick.Contains(point))
        {
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await bot.RestartAsync();
        }
        Assert.True(await BotRig.WaitUntilAsync(async () => await rig.IsSettledInAsync("Triggered") && (!escalates || rig.InPagerDuty.Level == 2), TimeSpan.FromSeconds(60)),
            $"The incident did not settle in Triggered after a kill at {point}: {(await rig.IncidentAsync())?.State}\n{rig.Logs}");
        await ClickAsync(rig, bot);
        if (point == IncidentKillPoints.ClickAcknowledged) Kill();

        var acknowledged = await DriveToAcknowledgedAsync(rig, bot, killed.Task, killedAfterClick: !IncidentKillPoints.BeforeClick.Contains(point));

        Assert.True(killed.Task.IsCompleted, $"The kill point {point} was never reached.\n{rig.Logs}");
        Assert.True(acknowledged, $"The incident was not acknowledged after a kill at {point}: {(await rig.IncidentAsync())?.State}\n{rig.Logs}");
        var inPagerDuty = rig.InPagerDuty;
        Assert.Equal("acknowledged", inPagerDuty.Status);
        Assert.Equal(escalates ? 2 : 1, inPagerDuty.Level);
        // Each decision reached PagerDuty once: the bot looks at the incident before every attempt and finds a lost answer's work done.
        Assert.Equal(1, rig.PagerDuty.Count("PagerDuty.Acknowledge"));
        Assert.Equal(escalates ? 1 : 0, rig.PagerDuty.Count("PagerDuty.Escalate"));
        await rig.AssertAcknowledgedOnceAsync(escalates ? ["DeadlineElapsed"] : []);
    }

    /// <summary>Alice presses Acknowledge on the card as it is now.</summary>
    private static async Task ClickAsync(IncidentRig rig, RestartableBotServer bot)
    {
        try
        {
            await rig.ClickAsync(bot, BotRig.Alice, rig.LatestButton(IncidentRig.AcknowledgeActionId));
        }
        catch (HttpRequestException)
        {
            // The instance died under the click: as for a person, the click may be lost.
        }
    }

    /// <summary>
    /// Restarts a killed instance and waits for the incident to be acknowledged with everything delivered. When the kill
    /// came after Alice's click and the click was lost with the instance (after the restart the incident is settled, still
    /// triggered, with nothing on its way to PagerDuty), she clicks again, as a person would.
    /// </summary>
    private static async Task<bool> DriveToAcknowledgedAsync(IncidentRig rig, RestartableBotServer bot, Task killed, bool killedAfterClick)
    {
        var clickedAgain = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await rig.IsSettledInAsync("Acknowledged")) return true;
            if (killed.IsCompleted && !bot.IsRunning) await bot.RestartAsync();
            if (killedAfterClick && killed.IsCompleted && !clickedAgain && await rig.IsSettledInAsync("Triggered"))
            {
                await ClickAsync(rig, bot);
                clickedAgain = true;
            }
            await Task.Delay(200);
        }
        return false;
    }
}
