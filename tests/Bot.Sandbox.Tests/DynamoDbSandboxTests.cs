using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Bot.Sandbox.Tests;

public sealed class DynamoDbSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private AmazonDynamoDBClient SdkClient(string accessKey = "AKIATESTSANDBOX00001") => new(
        new BasicAWSCredentials(accessKey, "sandbox-secret"),
        new AmazonDynamoDBConfig
        {
            ServiceURL = _sandbox.Server.BaseAddress.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    [Fact]
    public async Task The_AWS_SDK_describes_a_SecureBase_table()
    {
        using var client = SdkClient();

        var response = await client.DescribeTableAsync(new DescribeTableRequest { TableName = "securebase-prod-user-sessions" });

        var table = response.Table;
        Assert.Equal("securebase-prod-user-sessions", table.TableName);
        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        Assert.True(table.ItemCount > 100_000);
        Assert.True(table.TableSizeBytes > table.ItemCount);
        Assert.Equal(["customer_id", "session_id"], table.KeySchema.Select(k => k.AttributeName));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary.BillingMode);
        Assert.Equal("arn:aws:dynamodb:us-east-1:123456789012:table/securebase-prod-user-sessions", table.TableArn);
        Assert.True(table.CreationDateTime < SandboxHttp.Start.UtcDateTime.AddDays(-100));
    }

    [Fact]
    public async Task The_AWS_SDK_sees_an_unknown_table_as_ResourceNotFoundException()
    {
        using var client = SdkClient();

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            client.DescribeTableAsync(new DescribeTableRequest { TableName = "securebase-prod-nope" }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("securebase-prod-nope", error.Message);
    }

    [Fact]
    public async Task The_AWS_SDK_pages_through_all_twelve_tables()
    {
        using var client = SdkClient();
        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await client.ListTablesAsync(new ListTablesRequest { Limit = 5, ExclusiveStartTableName = start });
            names.AddRange(page.TableNames);
            start = page.LastEvaluatedTableName;
        } while (start is not null);

        Assert.Equal(12, names.Count);
        foreach (var env in new[] { "prod", "staging", "dev" })
            foreach (var suffix in new[] { "user-sessions", "user-invites", "activity-feed", "reports" })
                Assert.Contains($"securebase-{env}-{suffix}", names);
    }

    [Fact]
    public async Task A_denied_key_gets_AccessDeniedException_through_the_SDK()
    {
        using var client = SdkClient(_sandbox.Account.Options.DeniedAccessKeyId);

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.DescribeTableAsync(new DescribeTableRequest { TableName = "securebase-prod-reports" }));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeTable_answers_with_the_modeled_members_only()
    {
        foreach (var table in _sandbox.Account.Tables)
        {
            var answer = await _sandbox.DynamoAsync("DescribeTable", new { TableName = table.Name });

            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("application/x-amz-json-1.0", answer.Response.Content.Headers.ContentType?.MediaType);
            AwsShapes.AssertMatches("dynamodb", "DescribeTableOutput", answer.Body);
        }
    }

    [Fact]
    public async Task An_unknown_table_is_a_namespaced_ResourceNotFoundException()
    {
        var answer = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-missing" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", answer.Body.GetProperty("__type").GetString());
        Assert.Contains("securebase-prod-missing", answer.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_table_name_is_a_ValidationException()
    {
        var answer = await _sandbox.DynamoAsync("DescribeTable", new { });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("ValidationException", answer.ErrorType);
    }

    [Fact]
    public async Task Provisioned_tables_report_their_capacity()
    {
        var answer = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-activity-feed" });

        var table = answer.Body.GetProperty("Table");
        Assert.Equal("PROVISIONED", table.GetProperty("BillingModeSummary").GetProperty("BillingMode").GetString());
        Assert.True(table.GetProperty("ProvisionedThroughput").GetProperty("ReadCapacityUnits").GetInt32() > 0);
    }

    [Fact]
    public async Task The_AWS_SDK_reads_time_to_live_and_point_in_time_recovery()
    {
        using var client = SdkClient();

        var ttl = await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = "securebase-prod-user-sessions" });
        var prod = await client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = "securebase-prod-activity-feed" });
        var dev = await client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = "securebase-dev-activity-feed" });
        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() =>
            client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = "securebase-prod-nope" }));

        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveDescription.TimeToLiveStatus);
        Assert.Equal("expires_at", ttl.TimeToLiveDescription.AttributeName);
        Assert.Equal(PointInTimeRecoveryStatus.ENABLED, prod.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        Assert.True(prod.ContinuousBackupsDescription.PointInTimeRecoveryDescription.LatestRestorableDateTime > SandboxHttp.Start.UtcDateTime.AddHours(-1));
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, dev.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        Assert.Contains("securebase-prod-nope", missing.Message);
    }
}
