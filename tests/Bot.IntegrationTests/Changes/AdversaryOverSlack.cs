using Amazon.DynamoDBv2;
using Bot.Testing;
using Bot.Testing.DynamoDb;
using Bot.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Changes;

/// <summary>
/// The bot over signed HTTP against the sandbox, on either store, with the people an adversary needs: alice (approver and
/// responder, the requester), bob (approver, tech lead), carol (approver, ops manager), dave (approver, security). On
/// DynamoDB, where a key file cannot be shared between instances, secret values are sealed with the sandbox's KMS key.
/// </summary>
public sealed class AdversaryOverSlack : IAsyncDisposable
{
    private readonly DynamoDbTestTable? _table;
    private readonly string? _sqlitePath;

    private AdversaryOverSlack(ChangesOverSlack bot, DynamoDbTestTable? table, string? sqlitePath)
    {
        Bot = bot;
        _table = table;
        _sqlitePath = sqlitePath;
    }

    public ChangesOverSlack Bot { get; }

    public static async Task<AdversaryOverSlack> StartAsync(string store, Action<Dictionary<string, string?>>? settings = null)
    {
        DynamoDbTestTable? table = null;
        string? sqlite = null;
        DynamoDbLocalServer? dynamo = null;
        if (store == "dynamodb")
        {
            var fixture = new DynamoDbLocalFixture();
            await fixture.InitializeAsync();
            dynamo = fixture.Server;
            table = new DynamoDbTestTable(fixture);
        }
        else sqlite = TestStorage.NewSqlitePath();
        var bot = await ChangesOverSlack.StartAsync(s =>
        {
            s["Rbac:Roles:approver:Users:3"] = "U1DAVE";
            s["Rbac:Roles:security:Users:0"] = "U1DAVE";
            s["Rbac:Roles:responder:Users:0"] = "U1ALICE";
            if (table is null)
            {
                s["Store:SqlitePath"] = sqlite;
            }
            else
            {
                s["Store:Provider"] = "dynamodb";
                s["Store:DynamoDbTable"] = table.Name;
                s["Store:CreateTable"] = "true";
                s["Changes:SecretsKmsKeyId"] = "alias/securebase-bot";
            }
            settings?.Invoke(s);
        }, services =>
        {
            if (dynamo is not null) services.AddKeyedSingleton<IAmazonDynamoDB>(WorkflowsServiceCollectionExtensions.StoreClientKey, dynamo.NewClient());
        });
        return new AdversaryOverSlack(bot, table, sqlite);
    }

    /// <summary>Everything the store holds, as text someone with its file or table would read.</summary>
    public async Task<string> DumpStoreAsync()
    {
        if (_sqlitePath is not null)
        {
            var text = new System.Text.StringBuilder();
            foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal" }.Where(File.Exists))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync());
            }
            return text.ToString();
        }
        using var client = (await DynamoDbLocalServer.SharedAsync()).NewClient();
        var all = new System.Text.StringBuilder();
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = _table!.Name, ExclusiveStartKey = start });
            foreach (var item in page.Items)
                foreach (var (name, value) in item)
                    all.Append(name).Append('=').Append(value.S ?? value.N ?? "").Append('\n');
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (start is not null);
        return all.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        if (_table is not null) await _table.DeleteAsync();
        if (_sqlitePath is not null) TestStorage.Delete(_sqlitePath);
    }
}
