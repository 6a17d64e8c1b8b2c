using System.Net;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// Two bot processes on one DynamoDB table (AWS's DynamoDB Local), the approval clicked at the same moment by two
/// approvers on the two instances and the same click delivered to both: one transition, one audit record, one message
/// per outbox entry, one AWS call for the decision.
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
        var completed = await rig.WaitForStateAsync("Completed", TimeSpan.FromSeconds(120));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(completed is not null, $"The change did not complete: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        Assert.True((await rig.VerifyAuditAsync()).Intact);
        BotRig.AssertOnce(await rig.TransitionsAsync("change"), "Create", "Approve", "PreflightPassed", "Applied");
        rig.AssertAliasMovedOnce();
        rig.AssertEachMessagePostedOnce();
        Assert.Single(rig.Slack.Calls("chat.postMessage"), r => r.Body.Contains(ChangeRig.ApproveActionId, StringComparison.Ordinal));
        rig.AssertNoSecretsLeaked();
        // The two clicks that lost are answered (stale card, or already approved); the replayed one is not acted on at all.
        Assert.InRange(rig.Slack.Requests.Count(r => r.Path.StartsWith("/response/click-", StringComparison.Ordinal)), 1, 2);
    }
}
