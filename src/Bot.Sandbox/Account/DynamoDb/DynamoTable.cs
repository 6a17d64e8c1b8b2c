namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>One SecureBase DynamoDB table as DescribeTable reports it.</summary>
public sealed record DynamoTable(
    string Name,
    string Environment,
    string Arn,
    string TableId,
    DateTimeOffset Created,
    string HashKey,
    string HashKeyType,
    string? RangeKey,
    string? RangeKeyType,
    string? IndexName,
    string? IndexHashKey,
    long ItemCount,
    long SizeBytes,
    bool Provisioned,
    int ReadCapacity,
    int WriteCapacity,
    bool StreamEnabled,
    bool DeletionProtection,
    string KmsKeyArn)
{
    internal TableProfile Profile { get; init; } = null!;
    public string Status { get; init; } = "ACTIVE";
}
