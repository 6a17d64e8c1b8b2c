using Bot.Testing.DynamoDb;

namespace Bot.Tests.Deploy;

/// <summary>The test classes of this assembly that share one DynamoDB Local (xunit wants the definition in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class DynamoDbLocalCollection : ICollectionFixture<DynamoDbLocalFixture>
{
    public const string Name = "DynamoDB Local";
}
