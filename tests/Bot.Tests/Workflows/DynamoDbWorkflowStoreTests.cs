using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;

namespace Bot.Tests.Workflows;

/// <summary>Starts one dynalite for all DynamoDB tests of the run.</summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    public DynaliteServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DynaliteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>A new SDK client on dynalite (each "host" gets its own).</summary>
    public IAmazonDynamoDB NewClient() => new AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig { ServiceURL = Server.ServiceUrl, AuthenticationRegion = "us-east-1" });
}

[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}

/// <summary>The store contract on DynamoDB (dynalite): each test has its own table; each host its own client and store.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbWorkflowStoreTests(DynaliteFixture dynalite) : WorkflowStoreContract
{
    private readonly string _table = "sb-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<IAmazonDynamoDB> _clients = [];

    protected override Task<IWorkflowStore> OpenStoreAsync()
    {
        var client = dynalite.NewClient();
        _clients.Add(client);
        return Task.FromResult<IWorkflowStore>(new DynamoDbWorkflowStore(client, _table, Time, createTable: true));
    }

    protected override async Task TamperWithAuditAsync(long sequence, string action)
    {
        using var client = dynalite.NewClient();
        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = new() { ["pk"] = new AttributeValue { S = "AUDIT" }, ["sk"] = new AttributeValue { S = $"E#{sequence:D12}" } },
            UpdateExpression = "SET #a = :a",
            ConditionExpression = "attribute_exists(pk)",
            ExpressionAttributeNames = new() { ["#a"] = "action" },
            ExpressionAttributeValues = new() { [":a"] = new AttributeValue { S = action } },
        });
    }

    [Fact]
    public async Task Missing_table_without_permission_to_create_it_says_what_to_do()
    {
        using var client = dynalite.NewClient();
        var store = new DynamoDbWorkflowStore(client, "sb-missing-" + Guid.NewGuid().ToString("N")[..8], Time, createTable: false);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains("Store__CreateTable=true", e.Message);
    }

    public override async Task DisposeAsync()
    {
        try
        {
            using var client = dynalite.NewClient();
            await client.DeleteTableAsync(_table);
        }
        catch (ResourceNotFoundException) { }
        foreach (var c in _clients) c.Dispose();
    }
}
