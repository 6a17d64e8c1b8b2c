using System.Net;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Storage.DynamoDb;

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
        var dynamo = await DynamoDbLocalServer.SharedAsync();
        var table = "sb-reliability-" + Guid.NewGuid().ToString("N")[..8];
        await using var rig = await ChangeRig.StartAsync(
            new Dictionary<string, string>
            {
                ["Store__Provider"] = "dynamodb",
                ["Store__DynamoDbTable"] = table,
                ["Store__CreateTable"] = "true",
                ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.ServiceUrl,
            },
            async () =>
            {
                // DynamoDB Local keeps one database per access key: read with the key the instances use.
                var options = new Bot.Sandbox.SandboxOptions();
                var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
                    new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = dynamo.ServiceUrl, AuthenticationRegion = "us-east-1" });
                var store = new DynamoDbWorkflowStore(client, table, TimeProvider.System);
                await store.InitializeAsync(CancellationToken.None);
                return store;
            });
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
        var chain = await rig.AuditChainAsync();
        Assert.True((await rig.VerifyAuditAsync()).Intact);
        var transitions = chain.Where(r => r.AggregateType == "change").Select(r => r.Action).ToList();
        foreach (var once in new[] { "Create", "Approve", "PreflightPassed", "Applied" })
            Assert.True(transitions.Count(a => a == once) == 1, $"{once} {transitions.Count(a => a == once)} times: {string.Join(", ", transitions)}");
        Assert.Equal(1, rig.Aws.Count("UpdateAlias"));
        Assert.Single(rig.Sandbox.Account.Function(ChangeRig.Function)!.Aliases["PROD"].History, h => h.Version == rig.ToVersion);
        var deliveries = rig.DeliveryIds();
        Assert.Equal(deliveries.Count, deliveries.Distinct().Count());
        Assert.Single(rig.Slack.Calls("chat.postMessage"), r => r.Body.Contains(ChangeRig.ApproveActionId, StringComparison.Ordinal));
        rig.AssertNoSecretsLeaked();
        // The two clicks that lost are answered (stale card, or already approved); the replayed one is not acted on at all.
        Assert.InRange(rig.Slack.Requests.Count(r => r.Path.StartsWith("/response/click-", StringComparison.Ordinal)), 1, 2);
    }
}
