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

    [Fact]
    public async Task A_commit_whose_writer_died_before_applying_it_is_rolled_forward_by_the_next_host()
    {
        var dyingClient = new DiesAfterCommitClient(dynalite.Server.ServiceUrl);
        _clients.Add(dyingClient);
        var dyingStore = new DynamoDbWorkflowStore(dyingClient, _table, Time, createTable: true);
        await dyingStore.InitializeAsync(CancellationToken.None);
        var dying = new WorkflowHost(dyingStore, Time);

        var created = await dying.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "deploy api v42", new("U0ANA", "ana")), new("U0ANA", "ana"), null, null, CancellationToken.None);
        Assert.True(created.IsTransitioned);
        Assert.True(dyingClient.Dead); // the commit point was written; nothing after it was

        var next = await NewHostAsync();
        var record = await next.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None);
        await next.DrainOutboxAsync();

        Assert.Equal(("Pending", 1L), (record?.State, record?.Version));
        Assert.Single(next.Chat.Deliveries);
        Assert.NotNull(await next.Store.NextTimerDueAsync(CancellationToken.None));
        Assert.True((await next.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    /// <summary>A client whose process "dies" right after it wrote a commit entry: every later call fails.</summary>
    private sealed class DiesAfterCommitClient(string serviceUrl) : AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = "us-east-1" })
    {
        public bool Dead { get; private set; }

        public override async Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
        {
            if (Dead) throw new HttpRequestException("the process died");
            var response = await base.PutItemAsync(request, cancellationToken);
            if (request.Item["sk"].S.StartsWith("E#", StringComparison.Ordinal)) Dead = true;
            return response;
        }

        public override Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default) =>
            Dead ? throw new HttpRequestException("the process died") : base.UpdateItemAsync(request, cancellationToken);

        public override Task<DeleteItemResponse> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken = default) =>
            Dead ? throw new HttpRequestException("the process died") : base.DeleteItemAsync(request, cancellationToken);
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

/// <summary>The work queue contract on DynamoDB: each test has its own table; each host its own client and store.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbWorkQueueTests(DynaliteFixture dynalite) : WorkQueueContract
{
    private readonly string _table = "sb-work-" + Guid.NewGuid().ToString("N")[..12];

    protected override Task<IWorkflowStore> OpenStoreAsync() =>
        Task.FromResult<IWorkflowStore>(new DynamoDbWorkflowStore(dynalite.NewClient(), _table, Time, createTable: true));
}
