using Bot.Testing;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Tests.Storage.DynamoDb;

namespace Bot.Workflows.Tests.Wakeups;

public sealed class SqliteLeaseTests : LeaseContract
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, Time));

    public override Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbLeaseTests(DynamoDbLocalFixture dynamoDb) : LeaseContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(_table.NewStore(Time));

    public override Task DisposeAsync() => _table.DeleteAsync();
}

public sealed class SqliteGiveUpTests : GiveUpContract
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, Time));

    public override Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbGiveUpTests(DynamoDbLocalFixture dynamoDb) : GiveUpContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(_table.NewStore(Time));

    public override Task DisposeAsync() => _table.DeleteAsync();
}
