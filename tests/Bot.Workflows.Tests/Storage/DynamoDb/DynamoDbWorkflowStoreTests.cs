using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing.DynamoDb;
using Bot.Testing;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;

namespace Bot.Workflows.Tests.Storage.DynamoDb;

/// <summary>The store contract on DynamoDB Local: each test has its own table; each host its own client and store.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbWorkflowStoreTests(DynamoDbLocalFixture dynamoDb) : WorkflowStoreContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(_table.NewStore(Time));

    protected override async Task TamperWithAuditAsync(long sequence, string action)
    {
        using var client = dynamoDb.NewClient();
        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table.Name,
            Key = new() { ["pk"] = new AttributeValue { S = "AUDIT" }, ["sk"] = new AttributeValue { S = $"E#{sequence:D12}" } },
            UpdateExpression = "SET #a = :a",
            ConditionExpression = "attribute_exists(pk)",
            ExpressionAttributeNames = new() { ["#a"] = "action" },
            ExpressionAttributeValues = new() { [":a"] = new AttributeValue { S = action } },
        });
    }

    protected override async Task DeleteAuditAsync(long sequence)
    {
        using var client = dynamoDb.NewClient();
        await client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _table.Name,
            Key = new() { ["pk"] = new AttributeValue { S = "AUDIT" }, ["sk"] = new AttributeValue { S = $"E#{sequence:D12}" } },
            ConditionExpression = "attribute_exists(pk)",
        });
    }

    [Fact]
    public async Task Missing_table_without_permission_to_create_it_says_what_to_do()
    {
        using var client = dynamoDb.NewClient();
        var store = new DynamoDbWorkflowStore(client, "sb-missing-" + Guid.NewGuid().ToString("N")[..8], Time, createTable: false);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains("Store__CreateTable=true", e.Message);
    }

    public override Task DisposeAsync() => _table.DeleteAsync();
}
/// <summary>The work queue contract on DynamoDB Local.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbWorkQueueTests(DynamoDbLocalFixture dynamoDb) : WorkQueueContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(_table.NewStore(Time));

    public override Task DisposeAsync() => _table.DeleteAsync();
}
