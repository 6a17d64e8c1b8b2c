using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// DynamoDB (AWS JSON 1.0, <c>DynamoDB_20120810</c>). Control plane: DescribeTable, ListTables, UpdateTable, DeleteTable,
/// Describe/UpdateTimeToLive, Describe/UpdateContinuousBackups, RestoreTableToPointInTime, RestoreTableFromBackup,
/// CreateBackup, DescribeBackup, DeleteBackup, ListBackups, ExportTableToPointInTime, DescribeExport, ListExports. Items (user-sessions and activity-feed tables and their copies): GetItem,
/// PutItem, DeleteItem, BatchWriteItem, Scan, Query. State lives in <see cref="SandboxAccount.DynamoDb"/>.
/// </summary>
internal sealed partial class DynamoDbService : IJsonService
{
    private readonly SandboxAccount _account;
    private readonly Dictionary<string, Func<JsonInput, object>> _operations;

    public DynamoDbService(SandboxAccount account)
    {
        _account = account;
        _operations = new Dictionary<string, Func<JsonInput, object>>(StringComparer.Ordinal)
        {
            ["DescribeTable"] = input => new { Table = TableDescriptions.Table(Find(input, "ResourceNotFoundException"), Now) },
            ["ListTables"] = ListTables,
            ["UpdateTable"] = UpdateTable,
            ["DeleteTable"] = DeleteTable,
            ["DescribeTimeToLive"] = DescribeTimeToLive,
            ["UpdateTimeToLive"] = UpdateTimeToLive,
            ["DescribeContinuousBackups"] = DescribeContinuousBackups,
            ["UpdateContinuousBackups"] = UpdateContinuousBackups,
            ["RestoreTableToPointInTime"] = RestoreTableToPointInTime,
            ["RestoreTableFromBackup"] = RestoreTableFromBackup,
            ["CreateBackup"] = CreateBackup,
            ["DescribeBackup"] = DescribeBackup,
            ["DeleteBackup"] = DeleteBackup,
            ["ListBackups"] = ListBackups,
            ["GetItem"] = GetItem,
            ["PutItem"] = PutItem,
            ["DeleteItem"] = DeleteItem,
            ["BatchWriteItem"] = BatchWriteItem,
            ["Scan"] = Scan,
            ["Query"] = Query,
            ["ExportTableToPointInTime"] = ExportTableToPointInTime,
            ["DescribeExport"] = DescribeExport,
            ["ListExports"] = ListExports,
        };
    }

    public string TargetPrefix => "DynamoDB_20120810";
    public string SigningName => "dynamodb";
    public WireProtocol Protocol => WireProtocol.Json10;
    public string ErrorNamespace => "com.amazonaws.dynamodb.v20120810#";
    public string ValidationCode => "ValidationException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => _operations.ContainsKey(operation);

    public object Invoke(string operation, JsonInput input) => _operations[operation](input);

    private DateTimeOffset Now => _account.Time.GetUtcNow();
    private DynamoDbTables Tables => _account.DynamoDb;

    private TableState Find(JsonInput input, string notFoundCode, string member = "TableName")
    {
        var name = input.RequiredString(member);
        if (name.Length is < 1 or > 1024)
            throw input.Invalid($"1 validation error detected: Value '{name}' at '{char.ToLowerInvariant(member[0]) + member[1..]}' failed to satisfy constraint: Member must have length between 1 and 1024");
        return Tables.Find(name)
            ?? throw new AwsException(notFoundCode, notFoundCode == "TableNotFoundException" ? $"Table not found: {name}" : $"Requested resource not found: Table: {name} not found");
    }

    private object ListTables(JsonInput input)
    {
        var limit = input.Int("Limit") ?? 100;
        if (limit is < 1 or > 100)
            throw input.Invalid($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        var start = input.String("ExclusiveStartTableName");
        var names = Tables.TableNames.Where(n => start is null || string.CompareOrdinal(n, start) > 0).ToList();
        var page = names.Take(limit).ToList();
        return new
        {
            TableNames = page,
            LastEvaluatedTableName = names.Count > limit ? page[^1] : null,
        };
    }

    private object DescribeTimeToLive(JsonInput input)
    {
        var ttl = Find(input, "ResourceNotFoundException").Ttl;
        return new
        {
            TimeToLiveDescription = new
            {
                TimeToLiveStatus = ttl.Enabled ? "ENABLED" : "DISABLED",
                AttributeName = ttl.Enabled ? ttl.AttributeName : null,
            },
        };
    }

    private object UpdateTimeToLive(JsonInput input)
    {
        var table = Find(input, "ResourceNotFoundException");
        var spec = input.Object("TimeToLiveSpecification") ?? throw input.Invalid("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        var enabled = spec.Bool("Enabled") ?? throw spec.Invalid("1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
        var attribute = spec.RequiredString("AttributeName");
        Tables.SetTimeToLive(table, enabled, attribute);
        return new { TimeToLiveSpecification = new { Enabled = enabled, AttributeName = attribute } };
    }

    private object DeleteTable(JsonInput input)
    {
        var table = Find(input, "ResourceNotFoundException");
        Tables.Delete(table);
        return new { TableDescription = TableDescriptions.Table(table, Now) };
    }

    private object UpdateTable(JsonInput input)
    {
        var table = Find(input, "ResourceNotFoundException");
        foreach (var unsupported in new[] { "AttributeDefinitions", "StreamSpecification", "SSESpecification", "ReplicaUpdates", "TableClass", "OnDemandThroughput", "WarmThroughput", "MultiRegionConsistency" })
            if (input.Has(unsupported))
                throw input.Invalid($"The sandbox's UpdateTable changes BillingMode, ProvisionedThroughput, GSI throughput and DeletionProtectionEnabled only, not {unsupported}.");
        var indexThroughput = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var update in input.Objects("GlobalSecondaryIndexUpdates"))
        {
            if (update.Has("Create") || update.Has("Delete"))
                throw input.Invalid("The sandbox's UpdateTable does not create or delete indexes; GlobalSecondaryIndexUpdates may only Update throughput.");
            var u = update.Object("Update") ?? throw input.Invalid("GlobalSecondaryIndexUpdates entries need an Update.");
            indexThroughput[u.RequiredString("IndexName")] = Throughput(u.Object("ProvisionedThroughput") ?? throw u.Invalid("1 validation error detected: Value null at 'provisionedThroughput' failed to satisfy constraint: Member must not be null"));
        }
        var throughput = input.Object("ProvisionedThroughput") is { } pt ? Throughput(pt) : ((long, long)?)null;
        if (input.Bool("DeletionProtectionEnabled") is { } protection)
        {
            Tables.Change(_ => table.Definition = table.Definition with { DeletionProtection = protection });
            if (input.String("BillingMode") is null && throughput is null && indexThroughput.Count == 0)
                return new { TableDescription = TableDescriptions.Table(table, Now) };
        }
        Tables.UpdateCapacity(table, new CapacityChange(input.String("BillingMode"), throughput, indexThroughput));
        return new { TableDescription = TableDescriptions.Table(table, Now) };
    }

    private static (long Read, long Write) Throughput(JsonInput t) =>
        (t.Long("ReadCapacityUnits") ?? throw t.Invalid("1 validation error detected: Value null at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null"),
         t.Long("WriteCapacityUnits") ?? throw t.Invalid("1 validation error detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null"));
}
