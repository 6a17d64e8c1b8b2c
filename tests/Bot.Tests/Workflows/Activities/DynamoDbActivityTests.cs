using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;

namespace Bot.Tests.Workflows.Activities;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbActivityTests(DynaliteFixture dynamo) : ActivityContract
{
    private readonly string _table = "sb-activity-" + Guid.NewGuid().ToString("N")[..12];

    protected override Task<IWorkflowStore> OpenStoreAsync() =>
        Task.FromResult<IWorkflowStore>(new DynamoDbWorkflowStore(dynamo.NewClient(), _table, Time, createTable: true));
}
