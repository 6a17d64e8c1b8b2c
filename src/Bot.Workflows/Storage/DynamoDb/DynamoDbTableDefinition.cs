using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// The single table: partition key <c>pk</c>, sort key <c>sk</c>, a sparse GSI <c>gsi1</c> (<c>gsi1pk</c>/<c>gsi1sk</c>)
/// listing what falls due in time order (timers under <c>TIMERS</c>, pending work items under <c>WORKQ#&lt;queue&gt;</c>),
/// and TTL on <c>ttl</c> (idempotency keys, completed work items). Kept in step with deploy/dynamodb-table.json.
/// </summary>
public static class DynamoDbTableDefinition
{
    public const string PkName = "pk";
    public const string SkName = "sk";
    public const string DueIndex = "gsi1";
    public const string IndexPartitionKey = "gsi1pk";
    public const string IndexSortKey = "gsi1sk";
    public const string TtlAttribute = "ttl";

    public static CreateTableRequest CreateRequest(string table) => new()
    {
        TableName = table,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(PkName, ScalarAttributeType.S),
            new AttributeDefinition(SkName, ScalarAttributeType.S),
            new AttributeDefinition(IndexPartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(IndexSortKey, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(PkName, KeyType.HASH), new KeySchemaElement(SkName, KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = DueIndex,
                KeySchema = [new KeySchemaElement(IndexPartitionKey, KeyType.HASH), new KeySchemaElement(IndexSortKey, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };
}
