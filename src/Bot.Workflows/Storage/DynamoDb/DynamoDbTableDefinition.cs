using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// The single table: partition key <c>pk</c>, sort key <c>sk</c>, a GSI <c>gsi1</c> (<c>gsi1pk</c>/<c>gsi1sk</c>)
/// listing timers by due time, and TTL on <c>ttl</c> (idempotency keys). Kept in step with deploy/dynamodb-table.json.
/// </summary>
public static class DynamoDbTableDefinition
{
    public const string PkName = "pk";
    public const string SkName = "sk";
    public const string TimerIndex = "gsi1";
    public const string TimerIndexPartitionKey = "gsi1pk";
    public const string TimerIndexSortKey = "gsi1sk";
    public const string TtlAttribute = "ttl";

    public static CreateTableRequest CreateRequest(string table) => new()
    {
        TableName = table,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(PkName, ScalarAttributeType.S),
            new AttributeDefinition(SkName, ScalarAttributeType.S),
            new AttributeDefinition(TimerIndexPartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(TimerIndexSortKey, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(PkName, KeyType.HASH), new KeySchemaElement(SkName, KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = TimerIndex,
                KeySchema = [new KeySchemaElement(TimerIndexPartitionKey, KeyType.HASH), new KeySchemaElement(TimerIndexSortKey, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };
}
