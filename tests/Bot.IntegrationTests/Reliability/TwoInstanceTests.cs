using System.Net;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// Two bot processes on one DynamoDB table (AWS's DynamoDB Local), the same button clicked at the same moment by two
/// people on the two instances, the same click delivered to both, and (for an incident) every PagerDuty webhook delivered
/// to both at once: one transition, one audit record, one message per outbox entry, one AWS or PagerDuty call per decision.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class TwoInstanceTests
{
    [Fact]
    public async Task Concurrent_clicks_on_two_instances_make_one_approval_one_alias_move_and_one_of_each_message()
    {
        await using var rig = await ChangeRig.StartAsync(await RigStore.DynamoDbAsync());
        var first = await rig.StartBotAsync();
        var second = await rig.StartBotAsync();

        await rig.RequestDeployAsync(first);
        var button = await rig.ApproveButtonAsync();
        var bobs = rig.ClickForm(ChangeRig.Bob, button);
        var carols = rig.ClickForm(ChangeRig.Carol, button);
        var statuses = await Task.WhenAll(
            rig.SendClickAsync(first, bobs), rig.SendClickAsync(second, bobs),
            rig.SendClickAsync(second, carols), rig.SendClickAsync(first, carols));
        var completed = await rig.WaitForStateAsync(TimeSpan.FromSeconds(120), ChangeRig.WatchEnded);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(completed is not null, $"The change did not complete: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        await rig.AssertCompletedOnceAsync();
        // The two clicks that lost are answered (stale card, or already approved); the replayed one is not acted on at all.
        Assert.InRange(rig.Slack.Requests.Count(r => r.Path.StartsWith("/response/click-", StringComparison.Ordinal)), 1, 2);
    }

    [Fact]
    public async Task The_same_webhooks_and_concurrent_Acknowledge_clicks_on_two_instances_make_one_acknowledgement_one_card_and_one_call_to_PagerDuty()
    {
        await using var rig = await IncidentRig.StartAsync(await RigStore.DynamoDbAsync());
        var first = await rig.StartBotAsync();
        var second = await rig.StartBotAsync();

        // The relay hands every webhook PagerDuty sends to both instances at the same moment.
        rig.Page();
        Assert.True(await BotRig.WaitUntilAsync(() => rig.IsSettledInAsync("Triggered"), TimeSpan.FromSeconds(60)),
            $"The incident did not open: {(await rig.IncidentAsync())?.State}\n{rig.Logs}");
        var button = rig.LatestButton(IncidentRig.AcknowledgeActionId);
        var alices = rig.ClickForm(BotRig.Alice, button);
        var bobs = rig.ClickForm(BotRig.Bob, button);
        var statuses = await Task.WhenAll(
            rig.SendClickAsync(first, alices), rig.SendClickAsync(second, alices),
            rig.SendClickAsync(second, bobs), rig.SendClickAsync(first, bobs));
        var acknowledged = await BotRig.WaitUntilAsync(() => rig.IsSettledInAsync("Acknowledged"), TimeSpan.FromSeconds(60));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(acknowledged, $"The incident was not acknowledged: {(await rig.IncidentAsync())?.State}\n{rig.Logs}");
        Assert.Contains(rig.Webhooks.Relayed, w => w.EventType == "incident.triggered" && w.Statuses.Count(s => s == 202) == 2);
        Assert.Contains(rig.Webhooks.Relayed, w => w.EventType == "incident.acknowledged" && w.Statuses.Count(s => s == 202) == 2);
        Assert.Equal("acknowledged", rig.InPagerDuty.Status);
        Assert.Equal(1, rig.PagerDuty.Count("PagerDuty.Acknowledge"));
        await rig.AssertAcknowledgedOnceAsync();
        Assert.Single(rig.Slack.Calls("chat.postMessage"), r => r.Body.Contains("Acknowledged*", StringComparison.Ordinal));
    }
}
