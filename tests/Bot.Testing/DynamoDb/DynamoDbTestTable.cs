using Bot.Testing.Workflows;
using Bot.Testing;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Storage.DynamoDb;

namespace Bot.Testing.DynamoDb;

/// <summary>One test's own table on DynamoDB Local, deleted at the end with every client opened on it.</summary>
public sealed class DynamoDbTestTable(DynamoDbLocalFixture dynamoDb)
{
    private readonly List<IAmazonDynamoDB> _clients = [];

    public string Name { get; } = "sb-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A new client for this test (disposed with the table); <paramref name="wire"/> sees its traffic.</summary>
    public IAmazonDynamoDB NewClient(DynamoDbWire? wire = null)
    {
        var client = dynamoDb.NewClient(wire);
        lock (_clients) _clients.Add(client);
        return client;
    }

    /// <summary>A new store object ("host") with its own client on this table; it creates the table when missing.</summary>
    public DynamoDbWorkflowStore NewStore(TimeProvider time, DynamoDbWire? wire = null) => new(NewClient(wire), Name, time, createTable: true);

    public async Task DeleteAsync()
    {
        try
        {
            using var client = dynamoDb.NewClient();
            await client.DeleteTableAsync(Name);
        }
        catch (ResourceNotFoundException) { }
        lock (_clients)
        {
            foreach (var c in _clients) c.Dispose();
        }
    }
}
