using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Bot.Sandbox;
using Bot.Testing;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;
using Bot.Workflows.Storage.Sqlite;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// The store a rig's bot processes share, as their settings (<c>Store__…</c>) and a way for the test to read it: a
/// SQLite file (one instance at a time), or a fresh table on DynamoDB Local (several instances), which the processes may
/// reach through a <see cref="Proxy"/> (to make the store fail) while the test reads it directly.
/// </summary>
public sealed class RigStore(Dictionary<string, string> settings, Func<Task<IWorkflowStore>> open, string? sqlitePath = null, SandboxProxy? proxy = null)
    : IAsyncDisposable
{
    private readonly Lazy<Task<IWorkflowStore>> _store = new(open);

    public IReadOnlyDictionary<string, string> Settings => settings;

    /// <summary>What stands between the bot processes and DynamoDB Local, when asked for.</summary>
    public SandboxProxy? Proxy => proxy;

    /// <summary>The store as the test reads it (its own client; the processes own theirs).</summary>
    public Task<IWorkflowStore> OpenAsync() => _store.Value;

    public static RigStore Sqlite()
    {
        var path = TestStorage.NewSqlitePath();
        return new RigStore(new() { ["Store__Provider"] = "sqlite", ["Store__SqlitePath"] = path }, async () =>
        {
            var store = new SqliteWorkflowStore(path, TimeProvider.System);
            await store.InitializeAsync(CancellationToken.None);
            return store;
        }, path);
    }

    /// <param name="behindProxy">The bot processes reach DynamoDB through a <see cref="Proxy"/>; else directly.</param>
    public static async Task<RigStore> DynamoDbAsync(bool behindProxy = false)
    {
        var dynamo = await DynamoDbLocalServer.SharedAsync();
        var table = "sb-reliability-" + Guid.NewGuid().ToString("N")[..8];
        var proxy = behindProxy ? await SandboxProxy.StartAsync(new Uri(dynamo.ServiceUrl)) : null;
        var url = proxy is null ? dynamo.ServiceUrl : proxy.BaseAddress.ToString().TrimEnd('/');
        return new RigStore(new()
        {
            ["Store__Provider"] = "dynamodb",
            ["Store__DynamoDbTable"] = table,
            ["Store__CreateTable"] = "true",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = url,
        }, async () =>
        {
            // DynamoDB Local keeps one database per access key: read with the key the instances use.
            var options = new SandboxOptions();
            var client = new AmazonDynamoDBClient(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
                new AmazonDynamoDBConfig { ServiceURL = dynamo.ServiceUrl, AuthenticationRegion = "us-east-1" });
            var store = new DynamoDbWorkflowStore(client, table, TimeProvider.System);
            await store.InitializeAsync(CancellationToken.None);
            return store;
        }, proxy: proxy);
    }

    public async ValueTask DisposeAsync()
    {
        if (proxy is not null) await proxy.DisposeAsync();
        if (sqlitePath is not null) TestStorage.Delete(sqlitePath);
    }
}
