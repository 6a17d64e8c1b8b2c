using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Tests.Storage.DynamoDb;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Tests.Activities;

/// <summary>The activity contract on DynamoDB Local: each test has its own table; each host its own client and store.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbActivityTests(DynamoDbLocalFixture dynamoDb) : ActivityContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(_table.NewStore(Time));

    public override Task DisposeAsync() => _table.DeleteAsync();
}
