using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Recovery;

/// <summary>The guide's "Remove old user sessions (older than 30 days)" in the shell against the sandbox.</summary>
public sealed class CleanupRehearsalTests
{
    private const string Table = "securebase-dev-user-sessions";

    [Fact]
    public async Task A_clean_up_answers_a_dry_run_first_then_deletes_exactly_the_old_sessions_and_keeps_every_newer_one()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var sessions = shell.Services.GetRequiredService<ISessionItems>();
        var cutoff = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds();
        var (oldBefore, newerBefore) = await CountAsync(sessions, cutoff);

        await shell.RunAsync("as alice\n/sb cleanup sessions --older-than 30d --env dev\n");
        Assert.Contains($"{oldBefore:N0} session(s) created before", shell.Output);
        Assert.Empty(await shell.AggregatesAsync(CleanupJob.Type));

        await shell.RunAsync("/sb cleanup sessions --older-than 30d --env dev --rate 2000 --request\n");
        var job = (CleanupJob)CleanupJob.Definition.Restore((await shell.WaitForAsync(CleanupJob.Type, "Completed", "Failed"))!);
        var (oldAfter, newerAfter) = await CountAsync(sessions, job.Data.Plan.Cutoff);

        Assert.Equal(CleanupState.Completed, job.CurrentState);
        Assert.Equal(0, oldAfter);
        Assert.True(newerAfter >= newerBefore, $"{newerBefore} newer sessions before, {newerAfter} after");
        Assert.Equal(job.Data.Plan.Found, job.Data.Deleted + job.Data.Skipped);
        Assert.InRange(job.Data.Deleted, oldBefore - 5, oldBefore);
        Assert.Contains($"*Clean-up done:* {job.Data.Deleted:N0} sessions of `{Table}`", shell.Output);
        Assert.Equal(ChangeState.Completed, ((Change)Change.Definition.Restore(Assert.Single(await shell.AggregatesAsync(Change.Type)))).CurrentState);
    }

    [Fact]
    public async Task A_clean_up_that_would_delete_nothing_is_refused_before_any_change()
    {
        await using var shell = await RecoveryShell.StartAsync();

        await shell.RunAsync("as alice\n/sb cleanup sessions --older-than 90d --env dev --request\n/sb cleanup sessions --older-than 12h --env dev\n/sb cleanup everything --older-than 30d\n");

        Assert.Contains("is older than 90d", shell.Output);
        Assert.Contains("nothing to clean up. Nothing was requested.", shell.Output);
        Assert.Contains("is at least a day", shell.Output);
        Assert.Contains("Clean up what?", shell.Output);
        Assert.Empty(await shell.AggregatesAsync(Change.Type));
    }

    private static async Task<(long Old, long Newer)> CountAsync(ISessionItems sessions, long cutoff)
    {
        long old = 0, all = 0;
        string? cursor = null;
        do
        {
            var page = await sessions.ScanOlderThanAsync(Table, cutoff, cursor, 5000, CancellationToken.None);
            old += page.Old.Count;
            all += page.Scanned;
            cursor = page.Cursor;
        } while (cursor is not null);
        return (old, all - old);
    }
}

/// <summary>The clean-up's delete against the sandbox: it holds only while the session is still older than the cut-off.</summary>
public sealed class ConditionalDeleteTests
{
    [Fact]
    public async Task A_session_renewed_after_the_scan_found_it_is_not_deleted_and_one_still_old_is()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var sessions = shell.Services.GetRequiredService<ISessionItems>();
        var endpoint = await shell.Services.GetRequiredService<Bot.Integrations.Aws.IAwsEndpointOverride>().GetEndpointAsync(CancellationToken.None);
        var options = shell.Services.GetRequiredService<Bot.Integrations.Aws.AwsOptions>();
        using var dynamo = new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
            new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        const string Table = "securebase-dev-user-sessions";
        var cutoff = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds();
        var page = await sessions.ScanOlderThanAsync(Table, cutoff, null, 2000, CancellationToken.None);
        var (renewed, old) = (page.Old[0], page.Old[1]);
        var key = (SessionKey k) => new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["customer_id"] = new() { S = k.CustomerId }, ["session_id"] = new() { S = k.SessionId } };
        var item = (await dynamo.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest { TableName = Table, Key = key(renewed) })).Item;
        item["created_at"] = new Amazon.DynamoDBv2.Model.AttributeValue { N = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await dynamo.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest { TableName = Table, Item = item });

        var renewedDeleted = await sessions.DeleteIfOlderAsync(Table, renewed, cutoff, CancellationToken.None);
        var oldDeleted = await sessions.DeleteIfOlderAsync(Table, old, cutoff, CancellationToken.None);
        var oldAgain = await sessions.DeleteIfOlderAsync(Table, old, cutoff, CancellationToken.None);

        Assert.Equal((false, true, false), (renewedDeleted, oldDeleted, oldAgain));
        Assert.NotEmpty((await dynamo.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest { TableName = Table, Key = key(renewed) })).Item);
        Assert.Empty((await dynamo.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest { TableName = Table, Key = key(old) })).Item ?? []);
    }
}
