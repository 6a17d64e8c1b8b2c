using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Bot.Sandbox.Hosting;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Storage;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// The session clean-up with the bot killed (SIGKILL, a real process) half way and started again on the same store: it
/// resumes from the cursor its last saved batch left and finishes; the sessions renewed meanwhile (made newer than the
/// cut-off while the bot was down) are never deleted, because every delete is conditional; every other old session is
/// gone and every newer one stays.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class CleanupCrashTests
{
    private const string Table = "securebase-dev-user-sessions";

    [Fact]
    public async Task A_clean_up_killed_half_way_resumes_after_a_restart_and_never_deletes_a_newer_session()
    {
        await using var rig = await CleanupRig.StartAsync();
        using var dynamo = rig.DynamoDb();
        var cutoff = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds();
        var (oldBefore, newerBefore) = await CountAsync(dynamo, cutoff);
        var bot = await rig.StartBotAsync();

        await rig.RequestAsync(bot, "cleanup sessions --older-than 30d --env dev --rate 100 --request");
        Assert.True(await BotRig.WaitUntilAsync(async () => (await rig.JobAsync())?.Deleted >= 150, TimeSpan.FromSeconds(90)), $"The clean-up never got going.\n{rig.Logs}");
        bot.Kill();
        var atKill = (await rig.JobAsync())!;
        // While the bot is down, some old sessions are renewed: they are newer than the cut-off now and must survive.
        var renewed = await RenewAsync(dynamo, cutoff, 25);

        await bot.RestartAsync();
        Assert.True(await BotRig.WaitUntilAsync(async () => (await rig.JobAsync())?.State == "Completed", TimeSpan.FromSeconds(120)),
            $"The clean-up did not complete after the restart: {(await rig.JobAsync())?.State}\n{rig.Logs}");
        var done = (await rig.JobAsync())!;
        var (oldAfter, newerAfter) = await CountAsync(dynamo, cutoff);

        Assert.True(atKill.Deleted < oldBefore, "The kill came after the clean-up had finished.");
        Assert.Equal(0, oldAfter);
        foreach (var key in renewed)
            Assert.True((await dynamo.GetItemAsync(new GetItemRequest { TableName = Table, Key = key })).Item is { Count: > 0 }, "A renewed session was deleted.");
        Assert.Equal(newerBefore + renewed.Count, newerAfter);
        // What the batch under way at the kill deleted is gone but was never counted (its result was not saved); nothing is counted twice.
        Assert.InRange(done.Deleted, atKill.Deleted, oldBefore - renewed.Count);
        Assert.True((await rig.VerifyAuditAsync()).Intact);
        rig.AssertNoSecretsLeaked();
    }

    /// <summary>Gives <paramref name="count"/> old sessions a fresh <c>created_at</c>, as a user signing in again would.</summary>
    private static async Task<List<Dictionary<string, AttributeValue>>> RenewAsync(IAmazonDynamoDB dynamo, long cutoff, int count)
    {
        var old = (await dynamo.ScanAsync(new ScanRequest
        {
            TableName = Table,
            FilterExpression = "created_at < :cutoff",
            ExpressionAttributeValues = new() { [":cutoff"] = new AttributeValue { N = cutoff.ToString(CultureInfo.InvariantCulture) } },
        })).Items;
        var renewed = new List<Dictionary<string, AttributeValue>>();
        foreach (var item in old.TakeLast(count))
        {
            item["created_at"] = new AttributeValue { N = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
            await dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = item });
            renewed.Add(new Dictionary<string, AttributeValue> { ["customer_id"] = item["customer_id"], ["session_id"] = item["session_id"] });
        }
        return renewed;
    }

    private static async Task<(long Old, long Newer)> CountAsync(IAmazonDynamoDB dynamo, long cutoff)
    {
        long old = 0, all = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest
            {
                TableName = Table,
                ProjectionExpression = "created_at",
                ExclusiveStartKey = start,
            });
            all += page.Count ?? 0;
            old += page.Items.Count(i => long.Parse(i["created_at"].N, CultureInfo.InvariantCulture) < cutoff);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return (old, all - old);
    }
}

/// <summary>The clean-up job as stored: its state and counts.</summary>
public sealed record StoredCleanup(string State, long Deleted, long Skipped);

/// <summary>A <see cref="BotRig"/> for a session clean-up requested in the ops channel by Alice.</summary>
public sealed class CleanupRig : BotRig
{
    private CleanupRig(SandboxServer sandbox, SandboxProxy aws, SlackApiFake slack, RigStore store) : base(sandbox, aws, slack, store) { }

    public static async Task<CleanupRig> StartAsync()
    {
        var (sandbox, aws, slack) = await StartPartsAsync();
        return new CleanupRig(sandbox, aws, slack, RigStore.Sqlite());
    }

    /// <summary>An AWSSDK DynamoDB client on the sandbox itself (not through the bot's proxy), as another application would write.</summary>
    public AmazonDynamoDBClient DynamoDb() => new(new BasicAWSCredentials(Sandbox.Account.Options.AccessKeyId, Sandbox.Account.Options.SecretAccessKey),
        new AmazonDynamoDBConfig { ServiceURL = Sandbox.BaseAddress.ToString(), AuthenticationRegion = "us-east-1" });

    public async Task RequestAsync(RestartableBotServer bot, string text)
    {
        var form = SlackRequestSigner.SlashCommandForm(text, Slack.ResponseUrl("cleanup"), userId: Alice, userName: "alice", channelId: OpsChannel, teamId: SlackTestSettings.TeamId);
        using var response = await bot.Client.SendAsync(Signer.Form("/slack/commands", form));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/sb {text} was answered {response.StatusCode}");
    }

    public async Task<StoredCleanup?> JobAsync()
    {
        var store = await Store.OpenAsync();
        var record = (await store.ListAggregatesAsync("cleanup", null, 10, CancellationToken.None)).SingleOrDefault();
        if (record is null) return null;
        var data = JsonDocument.Parse(record.Data).RootElement.GetProperty("data");
        return new StoredCleanup(record.State, data.GetProperty("deleted").GetInt64(), data.GetProperty("skipped").GetInt64());
    }
}
