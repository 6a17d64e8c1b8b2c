using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Sandbox.Tests;

/// <summary>UpdateTable's billing mode and capacity, DeleteTable, and TTL through the AWS SDK, with DynamoDB's rules.</summary>
public sealed class TableCapacityTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;
    private AmazonDynamoDBClient _dynamo = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHttp.StartAsync(o =>
        {
            o.ClockSkewTolerance = null;
            o.Recovery.PayPerRequestSwitchesPerDay = 1;
            o.Recovery.TableUpdateDuration = TimeSpan.FromSeconds(10);
        });
        _dynamo = SandboxClients.DynamoDb(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _dynamo.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<TableDescription> Describe(string table) => (await _dynamo.DescribeTableAsync(table)).Table;

    [Fact]
    public async Task Switching_to_provisioned_needs_throughput_for_the_table_and_its_index_as_on_AWS()
    {
        var guideOnly = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "securebase-prod-user-sessions",
            BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = 100, WriteCapacityUnits = 50 },
        }));
        var updated = await _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "securebase-prod-user-sessions",
            BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = 100, WriteCapacityUnits = 50 },
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate { Update = new UpdateGlobalSecondaryIndexAction { IndexName = "user_id-index", ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = 50, WriteCapacityUnits = 50 } } },
            ],
        });
        var during = await Describe("securebase-prod-user-sessions");
        _sandbox.Time.Advance(TimeSpan.FromSeconds(10));
        var after = await Describe("securebase-prod-user-sessions");

        Assert.Equal("ValidationException", guideOnly.ErrorCode);
        Assert.Equal("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: user_id-index", guideOnly.Message);
        Assert.Equal(TableStatus.UPDATING, updated.TableDescription.TableStatus);
        Assert.Equal(TableStatus.UPDATING, during.TableStatus);
        Assert.Equal(TableStatus.ACTIVE, after.TableStatus);
        Assert.Equal(BillingMode.PROVISIONED, after.BillingModeSummary.BillingMode);
        Assert.Equal(100, after.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(50, Assert.Single(after.GlobalSecondaryIndexes).ProvisionedThroughput.ReadCapacityUnits);
    }

    [Fact]
    public async Task Switching_back_to_on_demand_is_limited_per_24_hours_with_AWS_s_message()
    {
        var table = "securebase-prod-user-invites";
        await _dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST });
        _sandbox.Time.Advance(TimeSpan.FromMinutes(1));
        var onDemand = await Describe(table);
        await _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table, BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = 10, WriteCapacityUnits = 5 },
            GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Update = new UpdateGlobalSecondaryIndexAction { IndexName = "email-index", ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = 10, WriteCapacityUnits = 5 } } }],
        });
        _sandbox.Time.Advance(TimeSpan.FromMinutes(1));

        var limited = await Assert.ThrowsAsync<LimitExceededException>(() =>
            _dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST }));
        _sandbox.Time.Advance(TimeSpan.FromDays(1));
        await _dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST });

        Assert.Equal(BillingMode.PAY_PER_REQUEST, onDemand.BillingModeSummary.BillingMode);
        Assert.Equal(SandboxHttp.Start.UtcDateTime, onDemand.BillingModeSummary.LastUpdateToPayPerRequestDateTime!.Value, TimeSpan.FromSeconds(1));
        Assert.StartsWith("Subscriber limit exceeded: Update to PayPerRequest mode are limited to once in 1 day(s). Last update at Tue Mar 10 14:07:30 UTC 2026.", limited.Message);
    }

    [Fact]
    public async Task The_seeded_staging_reports_table_switched_to_on_demand_three_hours_ago()
    {
        var table = await Describe("securebase-staging-reports");

        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary.BillingMode);
        Assert.Equal(SandboxHttp.Start.UtcDateTime.AddHours(-3), table.BillingModeSummary.LastUpdateToPayPerRequestDateTime!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_unchanged_throughput_and_throughput_on_an_on_demand_table_are_refused()
    {
        var current = (await Describe("securebase-prod-activity-feed")).ProvisionedThroughput;
        var same = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "securebase-prod-activity-feed",
            ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = current.ReadCapacityUnits, WriteCapacityUnits = current.WriteCapacityUnits },
        }));
        var onDemand = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = "securebase-prod-reports",
            ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = 5, WriteCapacityUnits = 5 },
        }));

        Assert.StartsWith("The provisioned throughput for the table will not change.", same.Message);
        Assert.Contains("when BillingMode is PAY_PER_REQUEST", onDemand.Message);
    }

    [Fact]
    public async Task A_deleted_table_is_DELETING_then_gone_and_a_protected_one_is_refused()
    {
        var protectedProd = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.DeleteTableAsync("securebase-prod-reports"));
        var deleting = await _dynamo.DeleteTableAsync("securebase-dev-reports");
        var still = await Describe("securebase-dev-reports");
        _sandbox.Time.Advance(TimeSpan.FromSeconds(5));
        var gone = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Describe("securebase-dev-reports"));
        var names = (await _dynamo.ListTablesAsync()).TableNames;

        Assert.Equal("ValidationException", protectedProd.ErrorCode);
        Assert.Contains("protected against deletion", protectedProd.Message);
        Assert.Equal(TableStatus.DELETING, deleting.TableDescription.TableStatus);
        Assert.Equal(TableStatus.DELETING, still.TableStatus);
        Assert.Contains("securebase-dev-reports", gone.Message);
        Assert.DoesNotContain("securebase-dev-reports", names);
    }

    [Fact]
    public async Task TTL_is_on_expires_at_for_prod_sessions_only_and_changes_at_most_once_an_hour()
    {
        var prod = await _dynamo.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = "securebase-prod-user-sessions" });
        var staging = await _dynamo.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = "securebase-staging-user-sessions" });
        var enabled = await _dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = "securebase-staging-user-sessions",
            TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = true, AttributeName = "expires_at" },
        });
        var again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = "securebase-staging-user-sessions",
            TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = false, AttributeName = "expires_at" },
        }));
        var now = await _dynamo.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = "securebase-staging-user-sessions" });

        Assert.Equal(TimeToLiveStatus.ENABLED, prod.TimeToLiveDescription.TimeToLiveStatus);
        Assert.Equal("expires_at", prod.TimeToLiveDescription.AttributeName);
        Assert.Equal(TimeToLiveStatus.DISABLED, staging.TimeToLiveDescription.TimeToLiveStatus);
        Assert.True(enabled.TimeToLiveSpecification.Enabled);
        Assert.Equal("Time to live has been modified multiple times within a fixed interval", again.Message);
        Assert.Equal(TimeToLiveStatus.ENABLED, now.TimeToLiveDescription.TimeToLiveStatus);
    }

    [Fact]
    public async Task The_capacity_answers_have_the_modeled_shapes()
    {
        var updated = await _sandbox.DynamoAsync("UpdateTable", new { TableName = "securebase-prod-activity-feed", ProvisionedThroughput = new { ReadCapacityUnits = 80, WriteCapacityUnits = 40 } });
        var ttl = await _sandbox.DynamoAsync("UpdateTimeToLive", new { TableName = "securebase-dev-user-sessions", TimeToLiveSpecification = new { Enabled = true, AttributeName = "expires_at" } });
        var deleted = await _sandbox.DynamoAsync("DeleteTable", new { TableName = "securebase-staging-user-invites" });

        AwsShapes.AssertMatches("dynamodb-recovery", "UpdateTableOutput", updated.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "UpdateTimeToLiveOutput", ttl.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "DeleteTableOutput", deleted.Body);
        Assert.True(updated.Body.GetProperty("TableDescription").GetProperty("ProvisionedThroughput").TryGetProperty("LastIncreaseDateTime", out _));
    }
}
