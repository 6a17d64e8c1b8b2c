using Bot.Testing;
using Bot.Tests;
using System.Text.Json;
using Bot.Workflows.Storage.DynamoDb;

namespace Bot.Tests.Deploy;

/// <summary><c>deploy/dynamodb-table.json</c> (what operators create) is the table the bot creates and the store tests run on.</summary>
public sealed class DynamoDbTableDefinitionTests
{
    private static JsonElement Deployed()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "dynamodb-table.json")));
        return doc.RootElement.Clone();
    }

    private static string Describe(IEnumerable<(string Name, string Kind)> parts) => string.Join(", ", parts.Select(p => $"{p.Name}:{p.Kind}"));

    [Fact]
    public void The_deployed_table_has_the_keys_attributes_and_index_the_store_creates()
    {
        var deployed = Deployed();
        var created = DynamoDbTableDefinition.CreateRequest("securebase-ops-bot");

        Assert.Equal(created.TableName, deployed.GetProperty("TableName").GetString());
        Assert.Equal(created.BillingMode.Value, deployed.GetProperty("BillingMode").GetString());
        Assert.Equal(
            Describe(created.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value))),
            Describe(deployed.GetProperty("AttributeDefinitions").EnumerateArray().Select(a => (a.GetProperty("AttributeName").GetString()!, a.GetProperty("AttributeType").GetString()!))));
        Assert.Equal(
            Describe(created.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value))),
            Describe(deployed.GetProperty("KeySchema").EnumerateArray().Select(k => (k.GetProperty("AttributeName").GetString()!, k.GetProperty("KeyType").GetString()!))));
        var index = Assert.Single(created.GlobalSecondaryIndexes);
        var deployedIndex = Assert.Single(deployed.GetProperty("GlobalSecondaryIndexes").EnumerateArray().ToList());
        Assert.Equal(index.IndexName, deployedIndex.GetProperty("IndexName").GetString());
        Assert.Equal(
            Describe(index.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value))),
            Describe(deployedIndex.GetProperty("KeySchema").EnumerateArray().Select(k => (k.GetProperty("AttributeName").GetString()!, k.GetProperty("KeyType").GetString()!))));
        Assert.Equal(index.Projection.ProjectionType.Value, deployedIndex.GetProperty("Projection").GetProperty("ProjectionType").GetString());
    }
}
