using Bot.Testing.DynamoDb;
using Bot.Workflows.Tests.Storage.DynamoDb;

namespace Bot.Workflows.Tests.Changes.Adversary;

// Each adversary's tests run on the SQLite store and on DynamoDB Local.

public sealed class SecretsOnSqlite : SecretsAreNeverStoredInClear;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class SecretsOnDynamoDb : SecretsAreNeverStoredInClear
{
    public SecretsOnDynamoDb(DynamoDbLocalFixture dynamoDb) => DynamoDb = new(dynamoDb);
}

public sealed class BreakGlassOnSqlite : BreakGlassNeedsARealIncident;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class BreakGlassOnDynamoDb : BreakGlassNeedsARealIncident
{
    public BreakGlassOnDynamoDb(DynamoDbLocalFixture dynamoDb) => DynamoDb = new(dynamoDb);
}

public sealed class RollbacksOnSqlite : RollbacksCannotBeAbused;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class RollbacksOnDynamoDb : RollbacksCannotBeAbused
{
    public RollbacksOnDynamoDb(DynamoDbLocalFixture dynamoDb) => DynamoDb = new(dynamoDb);
}

public sealed class SeatsOnSqlite : EachRoleIsADifferentPerson;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class SeatsOnDynamoDb : EachRoleIsADifferentPerson
{
    public SeatsOnDynamoDb(DynamoDbLocalFixture dynamoDb) => DynamoDb = new(dynamoDb);
}

public sealed class WatchOnSqlite : TheWatchFailsClosed;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class WatchOnDynamoDb : TheWatchFailsClosed
{
    public WatchOnDynamoDb(DynamoDbLocalFixture dynamoDb) => DynamoDb = new(dynamoDb);
}

public sealed class AskingOnSqlite : ApproversAreAskedAndTheRulesHold;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class AskingOnDynamoDb : ApproversAreAskedAndTheRulesHold
{
    public AskingOnDynamoDb(DynamoDbLocalFixture dynamoDb) => DynamoDb = new(dynamoDb);
}
