using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Sandbox.Tests;

/// <summary>The user-sessions items through the AWS SDK: what a clean-up reads, deletes and is refused.</summary>
public sealed class SessionItemsTests : IAsyncLifetime
{
    private const string Dev = "securebase-dev-user-sessions";
    private SandboxHttp _sandbox = null!;
    private AmazonDynamoDBClient _dynamo = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
        _dynamo = SandboxClients.DynamoDb(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _dynamo.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static AttributeValue N(long n) => new() { N = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    private long Cutoff => _sandbox.NowSeconds - 30 * 86400;

    /// <summary>Every item matching <paramref name="filter"/> (with <c>:cutoff</c>), page by page.</summary>
    private async Task<(List<Dictionary<string, AttributeValue>> Items, int Pages)> ScanAll(string table, string? filter = null, int? limit = null)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        var pages = 0;
        do
        {
            var page = await _dynamo.ScanAsync(new ScanRequest
            {
                TableName = table, ExclusiveStartKey = start, Limit = limit, FilterExpression = filter,
                ExpressionAttributeValues = filter is null ? null : new Dictionary<string, AttributeValue> { [":cutoff"] = N(Cutoff) },
            });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } k ? k : null;
            pages++;
        } while (start is not null);
        return (items, pages);
    }

    [Fact]
    public async Task A_scan_reads_every_session_the_table_counts()
    {
        var (items, pages) = await ScanAll(Dev, limit: 5000);
        var table = (await _dynamo.DescribeTableAsync(Dev)).Table;

        Assert.Equal(table.ItemCount, items.Count);
        Assert.True(pages >= 3);
        var first = items[0];
        Assert.Matches("^cust-\\d{4}$", first["customer_id"].S);
        Assert.Matches("^[0-9a-f]{32}$", first["session_id"].S);
        Assert.Matches("^u-[0-9a-f]{12}$", first["user_id"].S);
        Assert.True(long.Parse(first["expires_at"].N) > long.Parse(first["created_at"].N));
        Assert.Equal(items.Count, items.Select(i => i["session_id"].S).Distinct().Count());
    }

    [Fact]
    public async Task About_eight_percent_of_sessions_are_older_than_30_days()
    {
        var (old, _) = await ScanAll(Dev, "created_at < :cutoff");
        var count = (await _dynamo.DescribeTableAsync(Dev)).Table.ItemCount!.Value;

        Assert.InRange(old.Count, count * 0.06, count * 0.10);
        Assert.All(old, i => Assert.True(long.Parse(i["created_at"].N) < Cutoff));
    }

    [Fact]
    public async Task Query_reads_one_customer_in_session_order_and_the_index_one_user()
    {
        var customer = await _dynamo.QueryAsync(new QueryRequest
        {
            TableName = Dev, KeyConditionExpression = "customer_id = :c",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":c"] = new() { S = "cust-0001" } },
        });
        var user = customer.Items[0]["user_id"].S;
        var byUser = await _dynamo.QueryAsync(new QueryRequest
        {
            TableName = Dev, IndexName = "user_id-index", KeyConditionExpression = "user_id = :u",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":u"] = new() { S = user } },
        });

        Assert.True(customer.Count > 100);
        var ids = customer.Items.Select(i => i["session_id"].S).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(byUser.Items, i => Assert.Equal(user, i["user_id"].S));
    }

    [Fact]
    public async Task A_batch_delete_removes_the_sessions_and_the_table_counts_them_at_the_next_refresh()
    {
        var (old, _) = await ScanAll(Dev, "created_at < :cutoff");
        var batch = old.Take(25).Select(i => new WriteRequest { DeleteRequest = new DeleteRequest { Key = new() { ["customer_id"] = i["customer_id"], ["session_id"] = i["session_id"] } } }).ToList();
        var before = (await _dynamo.DescribeTableAsync(Dev)).Table.ItemCount;

        var result = await _dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [Dev] = batch } });
        var (left, _) = await ScanAll(Dev, "created_at < :cutoff");
        var sameCount = (await _dynamo.DescribeTableAsync(Dev)).Table.ItemCount;
        _sandbox.Time.Advance(TimeSpan.FromHours(6));

        Assert.True(result.UnprocessedItems is null || result.UnprocessedItems.Count == 0);
        Assert.Equal(old.Count - 25, left.Count);
        Assert.Equal(before, sameCount);
        Assert.Equal(before - 25, (await _dynamo.DescribeTableAsync(Dev)).Table.ItemCount);
    }

    [Fact]
    public async Task A_throttled_table_hands_back_unprocessed_items_and_throttles_a_whole_batch_at_rate_one()
    {
        var (old, _) = await ScanAll(Dev, "created_at < :cutoff");
        List<WriteRequest> Batch(int skip) => old.Skip(skip).Take(25)
            .Select(i => new WriteRequest { DeleteRequest = new DeleteRequest { Key = new() { ["customer_id"] = i["customer_id"], ["session_id"] = i["session_id"] } } }).ToList();
        var fault = _sandbox.Account.Faults.TableThrottles(Dev, 0.5);

        var partly = await _dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [Dev] = Batch(0) } });
        _sandbox.Account.Faults.Clear(fault.Id);
        _sandbox.Account.Faults.TableThrottles(Dev, 1);
        var all = await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() =>
            _dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [Dev] = Batch(25) } }));

        _sandbox.Account.Faults.ClearAll();
        var (left, _) = await ScanAll(Dev, "created_at < :cutoff");

        var unprocessed = partly.UnprocessedItems[Dev];
        Assert.InRange(unprocessed.Count, 3, 22);
        Assert.Equal(old.Count - (25 - unprocessed.Count), left.Count);
        Assert.All(unprocessed, w => Assert.Contains(left, i => i["session_id"].S == w.DeleteRequest.Key["session_id"].S));
        Assert.StartsWith("Throughput exceeds the current capacity of your table or index", all.Message);
    }

    [Fact]
    public async Task A_conditional_delete_never_removes_a_session_newer_than_the_cutoff()
    {
        var items = (await _dynamo.ScanAsync(new ScanRequest { TableName = Dev, Limit = 100 })).Items;
        var recent = items.First(i => long.Parse(i["created_at"].N) > Cutoff);
        var old = (await ScanAll(Dev, "created_at < :cutoff")).Items[0];
        DeleteItemRequest Delete(Dictionary<string, AttributeValue> item) => new()
        {
            TableName = Dev,
            Key = new() { ["customer_id"] = item["customer_id"], ["session_id"] = item["session_id"] },
            ConditionExpression = "created_at < :cutoff",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":cutoff"] = N(Cutoff) },
            ReturnValues = ReturnValue.ALL_OLD,
        };

        var refused = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _dynamo.DeleteItemAsync(Delete(recent)));
        var deleted = await _dynamo.DeleteItemAsync(Delete(old));
        var again = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _dynamo.DeleteItemAsync(Delete(old)));
        var kept = await _dynamo.GetItemAsync(Dev, new() { ["customer_id"] = recent["customer_id"], ["session_id"] = recent["session_id"] });

        Assert.Equal("The conditional request failed", refused.Message);
        Assert.Equal(old["session_id"].S, deleted.Attributes["session_id"].S);
        Assert.Equal("ConditionalCheckFailedException", again.ErrorCode);
        Assert.Equal(recent["session_id"].S, kept.Item["session_id"].S);
    }

    [Fact]
    public async Task Prod_TTL_works_through_the_expired_backlog_within_two_days_and_staging_keeps_it()
    {
        const string prod = "securebase-prod-user-sessions";
        var expired = new ScanRequest
        {
            TableName = prod, Select = Select.COUNT, FilterExpression = "expires_at < :t",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = N(_sandbox.NowSeconds - 86400) },
        };
        async Task<int> Count(ScanRequest request)
        {
            var total = 0;
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                request.ExclusiveStartKey = start;
                var page = await _dynamo.ScanAsync(request);
                total += page.Count ?? 0;
                start = page.LastEvaluatedKey is { Count: > 0 } k ? k : null;
            } while (start is not null);
            return total;
        }

        var atStart = await Count(expired);
        _sandbox.Time.Advance(TimeSpan.FromHours(49));
        var later = await Count(expired);
        var staging = await Count(new ScanRequest
        {
            TableName = "securebase-staging-user-sessions", Select = Select.COUNT, FilterExpression = "expires_at < :t",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = N(_sandbox.NowSeconds - 3 * 86400) },
        });

        Assert.True(atStart > 100_000, $"{atStart} expired sessions at start");
        Assert.Equal(0, later);
        Assert.True(staging > 15_000, $"{staging} expired sessions in staging");
    }

    [Fact]
    public async Task Tables_without_kept_items_say_so_and_bad_expressions_are_ValidationExceptions()
    {
        var invites = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.ScanAsync(new ScanRequest { TableName = "securebase-prod-user-invites" }));
        var unused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.ScanAsync(new ScanRequest
        {
            TableName = Dev, FilterExpression = "created_at < :a",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":a"] = N(1), [":b"] = N(2) },
        }));
        var reserved = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.ScanAsync(new ScanRequest
        {
            TableName = Dev, FilterExpression = "status = :a", ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":a"] = N(1) },
        }));

        Assert.Contains("user-sessions and activity-feed", invites.Message);
        Assert.Equal("Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}", unused.Message);
        Assert.Equal("Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status", reserved.Message);
    }

    [Fact]
    public async Task The_item_answers_have_the_modeled_shapes()
    {
        var scan = await _sandbox.DynamoAsync("Scan", new { TableName = Dev, Limit = 3, ReturnConsumedCapacity = "TOTAL" });
        var key = scan.Body.GetProperty("LastEvaluatedKey");
        var query = await _sandbox.DynamoAsync("Query", new
        {
            TableName = Dev, KeyConditionExpression = "customer_id = :c AND begins_with(session_id, :p)", Limit = 2,
            ExpressionAttributeValues = new Dictionary<string, object> { [":c"] = new { S = "cust-0001" }, [":p"] = new { S = "a" } },
        });
        var batch = await _sandbox.DynamoAsync("BatchWriteItem", new { RequestItems = new Dictionary<string, object> { [Dev] = new[] { new { DeleteRequest = new { Key = key } } } } });

        AwsShapes.AssertMatches("dynamodb-recovery", "ScanOutput", scan.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "QueryOutput", query.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "BatchWriteItemOutput", batch.Body);
        Assert.Equal(3, scan.Body.GetProperty("ScannedCount").GetInt32());
    }
}
