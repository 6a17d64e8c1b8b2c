using Bot.Testing.Workflows;
using Bot.Testing;
using Amazon.DynamoDBv2;
using Bot.Testing.DynamoDb;

namespace Bot.Testing.DynamoDb;

/// <summary>AWS's DynamoDB Local, started once for the whole test run and shared by every DynamoDB test class.</summary>
public sealed class DynamoDbLocalFixture : IAsyncLifetime
{
    public DynamoDbLocalServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DynamoDbLocalServer.SharedAsync();

    public Task DisposeAsync() => Task.CompletedTask; // the shared server stops with the test process

    /// <summary>A new SDK client (each "host" gets its own); <paramref name="wire"/> sees, and may disturb, its HTTP traffic.</summary>
    public IAmazonDynamoDB NewClient(DynamoDbWire? wire = null) =>
        wire is null ? Server.NewClient() : Server.NewClient(wire.Wrap);
}
