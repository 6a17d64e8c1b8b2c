using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// DynamoDB control plane (AWS JSON 1.0, <c>DynamoDB_20120810</c>): DescribeTable, ListTables, DescribeTimeToLive
/// and DescribeContinuousBackups (point-in-time recovery is on in prod).
/// </summary>
internal sealed partial class DynamoDbService(SandboxAccount account) : IJsonService
{
    public string TargetPrefix => "DynamoDB_20120810";
    public string SigningName => "dynamodb";
    public WireProtocol Protocol => WireProtocol.Json10;
    public string ErrorNamespace => "com.amazonaws.dynamodb.v20120810#";
    public string ValidationCode => "ValidationException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "DescribeTable" or "ListTables" or "DescribeTimeToLive" or "DescribeContinuousBackups"
        or "Query" or "Scan";

    public object Invoke(string operation, JsonInput input) => operation switch
    {
        "DescribeTable" => DescribeTable(input),
        "DescribeTimeToLive" => DescribeTimeToLive(input),
        "DescribeContinuousBackups" => DescribeContinuousBackups(input),
        "Query" => Query(input),
        "Scan" => Scan(input),
        _ => ListTables(input),
    };

    private DynamoTable Find(JsonInput input, string notFoundCode)
    {
        var name = input.RequiredString("TableName");
        if (name.Length is < 1 or > 1024)
            throw input.Invalid($"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must have length between 1 and 1024");
        return account.Table(name) ?? account.Tables.FirstOrDefault(t => t.Arn == name)
            ?? throw new AwsException(notFoundCode, notFoundCode == "TableNotFoundException" ? $"Table not found: {name}" : $"Requested resource not found: Table: {name} not found");
    }

    private object DescribeTimeToLive(JsonInput input)
    {
        var table = Find(input, "ResourceNotFoundException");
        var attribute = table.Profile.Suffix is SecureBaseCatalog.UserSessions or SecureBaseCatalog.UserInvites ? "expiresAt" : null;
        return new
        {
            TimeToLiveDescription = new
            {
                TimeToLiveStatus = attribute is null ? "DISABLED" : "ENABLED",
                AttributeName = attribute,
            },
        };
    }

    private object DescribeContinuousBackups(JsonInput input)
    {
        var table = Find(input, "TableNotFoundException");
        var now = account.Time.GetUtcNow();
        var pitr = table.Environment == "prod";
        return new
        {
            ContinuousBackupsDescription = new
            {
                ContinuousBackupsStatus = "ENABLED",
                PointInTimeRecoveryDescription = new
                {
                    PointInTimeRecoveryStatus = pitr ? "ENABLED" : "DISABLED",
                    RecoveryPeriodInDays = pitr ? 35 : (int?)null,
                    EarliestRestorableDateTime = pitr ? SandboxJson.EpochSeconds(now.AddDays(-35)) : (double?)null,
                    LatestRestorableDateTime = pitr ? SandboxJson.EpochSeconds(now.AddMinutes(-5)) : (double?)null,
                },
            },
        };
    }

    private object DescribeTable(JsonInput input)
    {
        var table = Find(input, "ResourceNotFoundException");
        // A table whose items the sandbox keeps (the activity feed) reports their count and size.
        var items = account.Items.For(table);
        return new { Table = Describe(table, items?.Items.Count ?? table.ItemCount, items?.SizeBytes ?? table.SizeBytes) };
    }

    private object ListTables(JsonInput input)
    {
        var limit = input.Int("Limit") ?? 100;
        if (limit is < 1 or > 100)
            throw input.Invalid($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        var start = input.String("ExclusiveStartTableName");
        var names = account.Tables.Select(t => t.Name)
            .Where(n => start is null || string.CompareOrdinal(n, start) > 0)
            .ToList();
        var page = names.Take(limit).ToList();
        return new
        {
            TableNames = page,
            LastEvaluatedTableName = names.Count > limit ? page[^1] : null,
        };
    }

    private static object Describe(DynamoTable t, long itemCount, long sizeBytes)
    {
        var indexes = TableIndexes.Of(t);
        var keys = new List<(string Name, string Type)> { (t.HashKey, t.HashKeyType) };
        if (t.RangeKey is not null) keys.Add((t.RangeKey, t.RangeKeyType!));
        foreach (var index in indexes)
        {
            keys.Add((index.Keys.HashKey, index.Keys.HashKeyType));
            if (index.Keys.RangeKey is not null) keys.Add((index.Keys.RangeKey, index.Keys.RangeKeyType!));
        }
        var attributes = keys.DistinctBy(k => k.Name).Select(k => new { AttributeName = k.Name, AttributeType = k.Type }).ToList();
        var keySchema = new List<object> { new { AttributeName = t.HashKey, KeyType = "HASH" } };
        if (t.RangeKey is not null) keySchema.Add(new { AttributeName = t.RangeKey, KeyType = "RANGE" });
        var created = SandboxJson.EpochSeconds(t.Created);
        var throughput = new
        {
            NumberOfDecreasesToday = 0,
            ReadCapacityUnits = t.ReadCapacity,
            WriteCapacityUnits = t.WriteCapacity,
        };
        return new
        {
            AttributeDefinitions = attributes,
            TableName = t.Name,
            KeySchema = keySchema,
            TableStatus = t.Status,
            CreationDateTime = created,
            ProvisionedThroughput = throughput,
            TableSizeBytes = sizeBytes,
            ItemCount = itemCount,
            TableArn = t.Arn,
            TableId = t.TableId,
            BillingModeSummary = new
            {
                BillingMode = t.Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
                LastUpdateToPayPerRequestDateTime = t.Provisioned ? (double?)null : created,
            },
            GlobalSecondaryIndexes = indexes.Count == 0 ? null : indexes.Select(index => new
            {
                IndexName = index.Name,
                KeySchema = index.Keys.RangeKey is null
                    ? new object[] { new { AttributeName = index.Keys.HashKey, KeyType = "HASH" } }
                    : [new { AttributeName = index.Keys.HashKey, KeyType = "HASH" }, new { AttributeName = index.Keys.RangeKey, KeyType = "RANGE" }],
                Projection = new { ProjectionType = "ALL" },
                IndexStatus = "ACTIVE",
                ProvisionedThroughput = throughput,
                IndexSizeBytes = sizeBytes / (indexes.Count + 2),
                ItemCount = itemCount,
                IndexArn = $"{t.Arn}/index/{index.Name}",
            }).ToList(),
            StreamSpecification = t.StreamEnabled ? new { StreamEnabled = true, StreamViewType = "NEW_AND_OLD_IMAGES" } : null,
            LatestStreamLabel = t.StreamEnabled ? t.Created.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) : null,
            LatestStreamArn = t.StreamEnabled ? $"{t.Arn}/stream/{t.Created.AddDays(1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff}" : null,
            SSEDescription = new { Status = "ENABLED", SSEType = "KMS", KMSMasterKeyArn = t.KmsKeyArn },
            TableClassSummary = new { TableClass = "STANDARD" },
            DeletionProtectionEnabled = t.DeletionProtection,
        };
    }
}
