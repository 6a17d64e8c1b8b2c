using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Bot.Sandbox.Account.DynamoDb;

namespace Bot.Sandbox.Tests;

/// <summary>
/// The activity feed's rows through the AWS SDK and raw JSON: Query on ActionIndex by action and time, paging, a bounded
/// Scan, the planted failed-login bursts, DescribeTable's indexes and counts, and DynamoDB's reserved words.
/// </summary>
public sealed class ActivityFeedSandboxTests : IAsyncLifetime
{
    private const string Feed = "securebase-prod-activity-feed";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private AmazonDynamoDBClient Client() => new(new BasicAWSCredentials("AKIATESTSANDBOX00001", "sandbox-secret"),
        new AmazonDynamoDBConfig { ServiceURL = _sandbox.Server.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private string Iso(TimeSpan ago) => ActivityFeedGenerator.Iso(_sandbox.Time.GetUtcNow() - ago);

    private async Task<List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>> FailedLoginsAsync(AmazonDynamoDBClient client, TimeSpan since, int pageSize)
    {
        var items = new List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>();
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = Feed,
                IndexName = "ActionIndex",
                KeyConditionExpression = "#a = :a AND #t >= :since",
                ExpressionAttributeNames = new() { ["#a"] = "action", ["#t"] = "timestamp" },
                ExpressionAttributeValues = new() { [":a"] = new() { S = "failed_login" }, [":since"] = new() { S = Iso(since) } },
                Limit = pageSize,
                ExclusiveStartKey = start,
            });
            Assert.True(page.Count <= pageSize);
            items.AddRange(page.Items);
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        } while (start is not null);
        return items;
    }

    [Fact]
    public async Task The_SDK_queries_failed_logins_of_the_last_day_on_ActionIndex_page_by_page()
    {
        using var client = Client();

        var items = await FailedLoginsAsync(client, TimeSpan.FromHours(24), pageSize: 50);

        var byIp = items.GroupBy(i => i["ip_address"].S).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(140, byIp["203.0.113.57"]);
        Assert.Equal(60, byIp["198.51.100.23"]);
        Assert.InRange(items.Count - 200, 0, 40); // the everyday failed logins of a day
        Assert.All(items, i => Assert.Equal("failed_login", i["action"].S));
        Assert.Equal(items.Select(i => i["timestamp"].S).Order(StringComparer.Ordinal), items.Select(i => i["timestamp"].S));
        Assert.Single(items.Where(i => i["ip_address"].S == "198.51.100.23").Select(i => i["user_id"].S).Distinct());
        Assert.True(items.Where(i => i["ip_address"].S == "203.0.113.57").Select(i => i["user_id"].S).Distinct().Count() > 10);
        Assert.All(items, i => Assert.Contains("@", i["email"].S));
    }

    [Fact]
    public async Task Older_bursts_are_there_for_the_weekly_and_monthly_views()
    {
        using var client = Client();

        var month = await FailedLoginsAsync(client, TimeSpan.FromDays(30), pageSize: 500);

        var bursts = month.GroupBy(i => i["ip_address"].S).Where(g => g.Count() >= 20).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["203.0.113.57"] = 140, ["198.51.100.23"] = 60, ["203.0.113.201"] = 90, ["192.0.2.146"] = 45, ["198.51.100.77"] = 120 }, bursts);
    }

    [Fact]
    public async Task DescribeTable_shows_the_feeds_keys_indexes_and_real_item_count()
    {
        using var client = Client();

        var table = (await client.DescribeTableAsync(Feed)).Table;
        var dev = (await client.DescribeTableAsync("securebase-dev-activity-feed")).Table;

        Assert.Equal(["customer_id", "timestamp"], table.KeySchema.Select(k => k.AttributeName).ToArray());
        Assert.Equal(["ActionIndex", "ResourceTypeIndex"], table.GlobalSecondaryIndexes.Select(i => i.IndexName).ToArray());
        Assert.Equal(["action", "timestamp"], table.GlobalSecondaryIndexes[0].KeySchema.Select(k => k.AttributeName).ToArray());
        Assert.InRange(table.ItemCount!.Value, 3000, 12000);
        Assert.Equal(["ActionIndex"], dev.GlobalSecondaryIndexes.Select(i => i.IndexName).ToArray());
        Assert.Contains(table.AttributeDefinitions, a => a.AttributeName == "resource_type" && a.AttributeType == ScalarAttributeType.S);
    }

    [Fact]
    public async Task A_bounded_scan_pages_through_the_whole_feed_once()
    {
        using var client = Client();
        var total = (await client.DescribeTableAsync(Feed)).Table.ItemCount;
        var seen = new HashSet<string>();
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? start = null;
        var pages = 0;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = Feed, Limit = 1000, ExclusiveStartKey = start });
            foreach (var item in page.Items) Assert.True(seen.Add(item["customer_id"].S + "|" + item["timestamp"].S));
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
            pages++;
        } while (start is not null);

        Assert.Equal(total, seen.Count);
        Assert.Equal((int)Math.Ceiling(seen.Count / 1000.0), pages);
    }

    [Fact]
    public async Task The_guides_scan_with_a_bare_reserved_word_is_refused_as_on_AWS()
    {
        var guide = await _sandbox.DynamoAsync("Scan", new
        {
            TableName = Feed,
            FilterExpression = "action = :action",
            ExpressionAttributeValues = new Dictionary<string, object> { [":action"] = new { S = "failed_login" } },
            Limit = 100,
        });
        var fixedUp = await _sandbox.DynamoAsync("Scan", new
        {
            TableName = Feed,
            FilterExpression = "#action = :action",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#action"] = "action" },
            ExpressionAttributeValues = new Dictionary<string, object> { [":action"] = new { S = "failed_login" } },
            Limit = 100,
        });

        Assert.Equal(HttpStatusCode.BadRequest, guide.Status);
        Assert.Equal("ValidationException", guide.ErrorType);
        Assert.Equal("Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: action", guide.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, fixedUp.Status);
        AwsShapes.AssertMatches("dynamodb-items", "ScanOutput", fixedUp.Body);
        Assert.Equal(100, fixedUp.Body.GetProperty("ScannedCount").GetInt32());
        Assert.True(fixedUp.Body.GetProperty("Count").GetInt32() < 100);
        Assert.True(fixedUp.Body.TryGetProperty("LastEvaluatedKey", out _));
    }

    [Fact]
    public async Task Query_errors_are_DynamoDBs()
    {
        using var client = Client();

        var noIndex = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.QueryAsync(new QueryRequest
        {
            TableName = Feed, IndexName = "UserIndex", KeyConditionExpression = "user_id = :u",
            ExpressionAttributeValues = new() { [":u"] = new() { S = "u-1" } },
        }));
        var wrongKey = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.QueryAsync(new QueryRequest
        {
            TableName = Feed, KeyConditionExpression = "user_id = :u",
            ExpressionAttributeValues = new() { [":u"] = new() { S = "u-1" } },
        }));
        var unused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.QueryAsync(new QueryRequest
        {
            TableName = Feed, KeyConditionExpression = "customer_id = :c",
            ExpressionAttributeValues = new() { [":c"] = new() { S = "cust-1001" }, [":x"] = new() { S = "x" } },
        }));

        Assert.Equal("The table does not have the specified index: UserIndex", noIndex.Message);
        Assert.Equal("Query condition missed key schema element: customer_id", wrongKey.Message);
        Assert.Equal("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}", unused.Message);
    }

    [Fact]
    public async Task A_customers_activity_comes_newest_first_and_can_be_counted()
    {
        using var client = Client();

        var newest = await client.QueryAsync(new QueryRequest
        {
            TableName = Feed, KeyConditionExpression = "customer_id = :c", ScanIndexForward = false, Limit = 5,
            ExpressionAttributeValues = new() { [":c"] = new() { S = "cust-1001" } },
            ProjectionExpression = "customer_id, #t, user_id", ExpressionAttributeNames = new() { ["#t"] = "timestamp" },
        });
        var count = await client.QueryAsync(new QueryRequest
        {
            TableName = Feed, KeyConditionExpression = "customer_id = :c", Select = Select.COUNT,
            ExpressionAttributeValues = new() { [":c"] = new() { S = "cust-1001" } },
        });

        Assert.Equal(5, newest.Items.Count);
        Assert.Equal(newest.Items.Select(i => i["timestamp"].S).OrderDescending(StringComparer.Ordinal), newest.Items.Select(i => i["timestamp"].S));
        Assert.All(newest.Items, i => Assert.Equal(3, i.Count));
        Assert.True(count.Count > 100);
        Assert.True(count.Items is null || count.Items.Count == 0);
    }

    [Fact]
    public async Task Pages_resume_by_position_newest_first_and_from_a_start_key_that_is_not_an_item()
    {
        using var client = Client();
        var seen = new List<string>();
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = Feed, KeyConditionExpression = "customer_id = :c", ScanIndexForward = false, Limit = 37, ExclusiveStartKey = start,
                ExpressionAttributeValues = new() { [":c"] = new() { S = "cust-1002" } },
            });
            seen.AddRange(page.Items.Select(i => i["timestamp"].S));
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        } while (start is not null);
        var from = await client.QueryAsync(new QueryRequest
        {
            TableName = Feed, KeyConditionExpression = "customer_id = :c", Limit = 3,
            ExpressionAttributeValues = new() { [":c"] = new() { S = "cust-1002" } },
            ExclusiveStartKey = new() { ["customer_id"] = new() { S = "cust-1002" }, ["timestamp"] = new() { S = seen[^10] + "0" } },
        });

        Assert.Equal(seen.OrderDescending(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.SkipLast(10).TakeLast(3).Reverse(), from.Items.Select(i => i["timestamp"].S));
    }

    [Fact]
    public async Task The_feed_moves_with_the_clock_and_the_same_seed_gives_the_same_rows()
    {
        await using var twin = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
        var a = await _sandbox.DynamoAsync("Scan", new { TableName = "securebase-dev-activity-feed", Limit = 50 });
        var b = await twin.DynamoAsync("Scan", new { TableName = "securebase-dev-activity-feed", Limit = 50 });
        var items = _sandbox.Account.DynamoDb.Find(Feed)!.Items!;
        var before = items.CountAt(_sandbox.Time.GetUtcNow());

        _sandbox.Time.Advance(TimeSpan.FromHours(6));
        var after = items.CountAt(_sandbox.Time.GetUtcNow());

        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(before, after);
    }
}
