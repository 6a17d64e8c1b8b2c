using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// DynamoDB control plane (AWS JSON 1.0, <c>DynamoDB_20120810</c>): DescribeTable, ListTables, DescribeTimeToLive
/// and DescribeContinuousBackups (point-in-time recovery is on in prod).
/// </summary>
internal sealed class DynamoDbService(SandboxAccount account) : IJsonService
{
    public string TargetPrefix => "DynamoDB_20120810";
    public string SigningName => "dynamodb";
    public WireProtocol Protocol => WireProtocol.Json10;
    public string ErrorNamespace => "com.amazonaws.dynamodb.v20120810#";
    public string ValidationCode => "ValidationException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "DescribeTable" or "ListTables" or "DescribeTimeToLive" or "DescribeContinuousBackups";

    public object Invoke(string operation, JsonInput input) => operation switch
    {
        "DescribeTable" => DescribeTable(input),
        "DescribeTimeToLive" => DescribeTimeToLive(input),
        "DescribeContinuousBackups" => DescribeContinuousBackups(input),
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

    private object DescribeTable(JsonInput input) => new { Table = Describe(Find(input, "ResourceNotFoundException")) };

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

    private static object Describe(DynamoTable t)
    {
        var attributes = new List<object> { new { AttributeName = t.HashKey, AttributeType = t.HashKeyType } };
        if (t.RangeKey is not null) attributes.Add(new { AttributeName = t.RangeKey, AttributeType = t.RangeKeyType });
        if (t.IndexHashKey is not null && t.IndexHashKey != t.HashKey) attributes.Add(new { AttributeName = t.IndexHashKey, AttributeType = "S" });
        var keySchema = new List<object> { new { AttributeName = t.HashKey, KeyType = "HASH" } };
        if (t.RangeKey is not null) keySchema.Add(new { AttributeName = t.RangeKey, KeyType = "RANGE" });
        var created = SandboxJson.EpochSeconds(t.Created);
        var throughput = new
        {
            NumberOfDecreasesToday = 0,
            ReadCapacityUnits = t.ReadCapacity,
            WriteCapacityUnits = t.WriteCapacity,
        };
        var indexSchema = new List<object> { new { AttributeName = t.IndexHashKey, KeyType = "HASH" } };
        if (t.IndexName is not null && t.IndexName.Contains("createdAt", StringComparison.Ordinal))
            indexSchema.Add(new { AttributeName = "createdAt", KeyType = "RANGE" });
        return new
        {
            AttributeDefinitions = attributes,
            TableName = t.Name,
            KeySchema = keySchema,
            TableStatus = t.Status,
            CreationDateTime = created,
            ProvisionedThroughput = throughput,
            TableSizeBytes = t.SizeBytes,
            ItemCount = t.ItemCount,
            TableArn = t.Arn,
            TableId = t.TableId,
            BillingModeSummary = new
            {
                BillingMode = t.Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
                LastUpdateToPayPerRequestDateTime = t.Provisioned ? (double?)null : created,
            },
            GlobalSecondaryIndexes = t.IndexName is null ? null : new[]
            {
                new
                {
                    IndexName = t.IndexName,
                    KeySchema = indexSchema,
                    Projection = new { ProjectionType = "ALL" },
                    IndexStatus = "ACTIVE",
                    ProvisionedThroughput = throughput,
                    IndexSizeBytes = t.SizeBytes / 3,
                    ItemCount = t.ItemCount,
                    IndexArn = $"{t.Arn}/index/{t.IndexName}",
                },
            },
            StreamSpecification = t.StreamEnabled ? new { StreamEnabled = true, StreamViewType = "NEW_AND_OLD_IMAGES" } : null,
            LatestStreamLabel = t.StreamEnabled ? t.Created.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) : null,
            LatestStreamArn = t.StreamEnabled ? $"{t.Arn}/stream/{t.Created.AddDays(1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff}" : null,
            SSEDescription = new { Status = "ENABLED", SSEType = "KMS", KMSMasterKeyArn = t.KmsKeyArn },
            TableClassSummary = new { TableClass = "STANDARD" },
            DeletionProtectionEnabled = t.DeletionProtection,
        };
    }
}
