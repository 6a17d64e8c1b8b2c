using Bot.Testing.DynamoDb;
using Bot.Workflows.Storage;
using Bot.Workflows.Tests.Storage.DynamoDb;

namespace Bot.Workflows.Tests.Changes.Adversary;

// Each adversary's test runs on the SQLite store and on DynamoDB Local.

public sealed class SecretsOnSqlite : SecretsAreNeverStoredInClear;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class SecretsOnDynamoDb(DynamoDbLocalFixture dynamoDb) : SecretsAreNeverStoredInClear
{
    private readonly DynamoDbChangeStore _store = new(dynamoDb);
    protected override Task<IWorkflowStore> OpenStoreAsync() => _store.OpenAsync(Time);
    protected override Task<string> DumpStoreAsync() => _store.DumpAsync();
    public override async Task DisposeAsync() { await base.DisposeAsync(); await _store.DeleteAsync(); }
}

public sealed class BreakGlassOnSqlite : BreakGlassNeedsARealIncident;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class BreakGlassOnDynamoDb(DynamoDbLocalFixture dynamoDb) : BreakGlassNeedsARealIncident
{
    private readonly DynamoDbChangeStore _store = new(dynamoDb);
    protected override Task<IWorkflowStore> OpenStoreAsync() => _store.OpenAsync(Time);
    public override async Task DisposeAsync() { await base.DisposeAsync(); await _store.DeleteAsync(); }
}

public sealed class RollbacksOnSqlite : RollbacksCannotBeAbused;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class RollbacksOnDynamoDb(DynamoDbLocalFixture dynamoDb) : RollbacksCannotBeAbused
{
    private readonly DynamoDbChangeStore _store = new(dynamoDb);
    protected override Task<IWorkflowStore> OpenStoreAsync() => _store.OpenAsync(Time);
    public override async Task DisposeAsync() { await base.DisposeAsync(); await _store.DeleteAsync(); }
}

public sealed class SeatsOnSqlite : EachRoleIsADifferentPerson;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class SeatsOnDynamoDb(DynamoDbLocalFixture dynamoDb) : EachRoleIsADifferentPerson
{
    private readonly DynamoDbChangeStore _store = new(dynamoDb);
    protected override Task<IWorkflowStore> OpenStoreAsync() => _store.OpenAsync(Time);
    public override async Task DisposeAsync() { await base.DisposeAsync(); await _store.DeleteAsync(); }
}

public sealed class WatchOnSqlite : TheWatchFailsClosed;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class WatchOnDynamoDb(DynamoDbLocalFixture dynamoDb) : TheWatchFailsClosed
{
    private readonly DynamoDbChangeStore _store = new(dynamoDb);
    protected override Task<IWorkflowStore> OpenStoreAsync() => _store.OpenAsync(Time);
    public override async Task DisposeAsync() { await base.DisposeAsync(); await _store.DeleteAsync(); }
}

public sealed class AskingOnSqlite : ApproversAreAskedAndTheRulesHold;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class AskingOnDynamoDb(DynamoDbLocalFixture dynamoDb) : ApproversAreAskedAndTheRulesHold
{
    private readonly DynamoDbChangeStore _store = new(dynamoDb);
    protected override Task<IWorkflowStore> OpenStoreAsync() => _store.OpenAsync(Time);
    public override async Task DisposeAsync() { await base.DisposeAsync(); await _store.DeleteAsync(); }
}
