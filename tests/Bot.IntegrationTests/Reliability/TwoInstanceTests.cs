using System.Net;
using Bot.Testing.Slack;
using Bot.Workflows.Storage;

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

    [Fact]
    public async Task With_Slack_answering_429_for_longer_than_the_outbox_lease_each_message_is_posted_once_and_the_card_is_one_message()
    {
        await using var rig = await ChangeRig.StartAsync(await RigStore.DynamoDbAsync());
        // Every post and every edit is refused a few times with a Retry-After (4 s) longer than the outbox lease (3 s): the
        // instance holding a message waits it out inside the call while the other looks for work it could take over.
        var limited = Enumerable.Repeat(ScriptedResponse.RateLimited(4), 3).ToArray();
        rig.Slack.Script("chat.postMessage", limited);
        rig.Slack.Script("chat.update", limited);
        var first = await rig.StartBotAsync();
        var second = await rig.StartBotAsync();

        await rig.RequestDeployAsync(first);
        var button = await rig.ApproveButtonAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(HttpStatusCode.OK, await rig.ClickAsync(second, ChangeRig.Bob, button));
        var settled = await BotRig.WaitUntilAsync(() => rig.IsSettledInAsync(ChangeRig.WatchEnded), TimeSpan.FromSeconds(240));

        Assert.True(settled, $"The change did not complete: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        Assert.Contains(rig.Slack.Requests, r => r.Status == 429);
        await rig.AssertCompletedOnceAsync();
        // The card is one message: every edit went to the one post of it.
        var card = Assert.Single(rig.Slack.Taken, p => p.Body.Contains(ChangeRig.ApproveActionId, StringComparison.Ordinal));
        var edits = rig.Slack.Calls("chat.update").Where(r => r.Status == 200).ToList();
        Assert.NotEmpty(edits);
        Assert.All(edits, e => Assert.Contains($"\"ts\":\"{card.Ts}\"", e.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_burst_of_notes_on_one_incident_delivered_to_both_instances_is_posted_once_each_in_order_and_none_is_given_up()
    {
        await using var rig = await IncidentRig.StartAsync(await RigStore.DynamoDbAsync());
        var first = await rig.StartBotAsync();
        var second = await rig.StartBotAsync();
        rig.Page();
        Assert.True(await BotRig.WaitUntilAsync(() => rig.IsSettledInAsync("Triggered"), TimeSpan.FromSeconds(60)),
            $"The incident did not open: {(await rig.IncidentAsync())?.State}\n{rig.Logs}");
        // Slack throttles the thread now and then, so the instances' inbox work overlaps the outbox's waits.
        rig.Slack.Script("chat.postMessage", ScriptedResponse.RateLimited(1), ScriptedResponse.RateLimited(1));

        const int Notes = 20;
        for (var i = 0; i < Notes; i++) rig.Account.AddNote(rig.IncidentId, Bot.Sandbox.PagerDuty.PagerDutyDirectory.Alice, $"note {i:D2}");
        var settled = await BotRig.WaitUntilAsync(async () => await rig.IsSettledInAsync("Triggered")
            && rig.Slack.Taken.Count(p => p.Body.Contains("note ", StringComparison.Ordinal)) >= Notes, TimeSpan.FromSeconds(180));

        Assert.True(settled, $"The notes did not all arrive: {rig.Slack.Taken.Count(p => p.Body.Contains("note ", StringComparison.Ordinal))}\n{rig.Logs}");
        Assert.All(rig.Webhooks.Relayed.Where(w => w.EventType == "incident.annotated"), w => Assert.Equal([202, 202], w.Statuses));
        var notes = rig.Slack.Taken.Select(p => System.Text.RegularExpressions.Regex.Match(p.Body, "note (\\d\\d)")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Enumerable.Range(0, Notes).Select(i => i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)), notes);
        rig.AssertEachMessagePostedOnce();
        var store = await rig.Store.OpenAsync();
        Assert.Empty(await store.ListDeadWorkAsync(10, CancellationToken.None));
        Assert.Equal(0, (await store.CountAllDeadLettersAsync(CancellationToken.None)).Total);
    }
}
