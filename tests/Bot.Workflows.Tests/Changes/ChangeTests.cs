using Bot.Testing.DynamoDb;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Changes;

/// <summary>
/// A fresh store and a <see cref="ChangeHost"/> on it for each test of the Change workflow: SQLite unless the test class
/// runs on DynamoDB Local (<see cref="OpenStoreAsync"/>; see <see cref="DynamoDbChangeStore"/>).
/// </summary>
public abstract class ChangeTests : IAsyncLifetime
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero));
    protected ChangeHost Host { get; private set; } = null!;
    /// <summary>The SQLite file, when the store is SQLite (null on DynamoDB).</summary>
    protected string? SqlitePath { get; private set; }

    /// <summary>Set by a test class that runs on DynamoDB Local instead of SQLite.</summary>
    protected DynamoDbChangeStore? DynamoDb { get; init; }

    /// <summary>The store under test: SQLite, or DynamoDB Local when <see cref="DynamoDb"/> is set.</summary>
    protected virtual async Task<IWorkflowStore> OpenStoreAsync()
    {
        if (DynamoDb is { } dynamo) return await dynamo.OpenAsync(Time);
        var store = new SqliteWorkflowStore(_path, Time);
        await store.InitializeAsync(CancellationToken.None);
        SqlitePath = _path;
        return store;
    }

    public async Task InitializeAsync() => Host = new ChangeHost(await OpenStoreAsync(), Time);

    /// <summary>Everything the store holds, as text an attacker with the store's files or table would read.</summary>
    protected virtual Task<string> DumpStoreAsync()
    {
        if (DynamoDb is { } dynamo) return dynamo.DumpAsync();
        var text = new System.Text.StringBuilder();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-journal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }
        return Task.FromResult(text.ToString());
    }

    /// <summary>Delivers what the outbox holds to the test chat, advancing the clock a second at a time.</summary>
    protected async Task DrainAsync()
    {
        for (var i = 0; i < 200 && await Host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await Host.Sender.RunOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    public virtual async Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        if (Host is not null && File.Exists(Host.KeyFile)) File.Delete(Host.KeyFile);
        if (DynamoDb is { } dynamo) await dynamo.DeleteAsync();
    }
}

/// <summary>A test's own table on DynamoDB Local, for the Change tests that run on both stores.</summary>
public sealed class DynamoDbChangeStore(DynamoDbLocalFixture dynamoDb)
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    public async Task<IWorkflowStore> OpenAsync(TimeProvider time)
    {
        var store = _table.NewStore(time);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public Task DeleteAsync() => _table.DeleteAsync();

    /// <summary>Every item of the table, every attribute, as text.</summary>
    public async Task<string> DumpAsync()
    {
        using var client = dynamoDb.NewClient();
        var text = new System.Text.StringBuilder();
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = _table.Name, ExclusiveStartKey = start });
            foreach (var item in page.Items)
                foreach (var (name, value) in item)
                    text.Append(name).Append('=').Append(value.S ?? value.N ?? (value.B is { } b ? System.Text.Encoding.Latin1.GetString(b.ToArray()) : "")).Append('\n');
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (start is not null);
        return text.ToString();
    }
}
