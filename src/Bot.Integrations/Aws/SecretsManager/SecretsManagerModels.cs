using System.Text.Json.Serialization;
using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.SecretsManager;

// Members as Secrets Manager's model names them (PascalCase; timestamps in epoch seconds). No member ever holds a value.

public sealed record SecretFilter(string Key, IReadOnlyList<string> Values);

public sealed record ListSecretsRequest
{
    public List<SecretFilter>? Filters { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
    public string? SortOrder { get; init; }
}

public sealed record ListSecretsResponse
{
    public List<SecretDescription> SecretList { get; init; } = [];
    public string? NextToken { get; init; }
}

public sealed record SecretIdRequest(string SecretId);

public sealed record RotationRules
{
    public long? AutomaticallyAfterDays { get; init; }
    public string? Duration { get; init; }
    public string? ScheduleExpression { get; init; }
}

/// <summary>ListSecrets' entries and DescribeSecret's answer (the list calls the stages map <c>SecretVersionsToStages</c>).</summary>
public sealed record SecretDescription
{
    [JsonPropertyName("ARN")] public string? Arn { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public bool? RotationEnabled { get; init; }
    [JsonPropertyName("RotationLambdaARN")] public string? RotationLambdaArn { get; init; }
    public RotationRules? RotationRules { get; init; }
    [JsonConverter(typeof(NullableEpochSecondsConverter))] public DateTimeOffset? LastRotatedDate { get; init; }
    [JsonConverter(typeof(NullableEpochSecondsConverter))] public DateTimeOffset? LastChangedDate { get; init; }
    [JsonConverter(typeof(NullableEpochSecondsConverter))] public DateTimeOffset? LastAccessedDate { get; init; }
    [JsonConverter(typeof(NullableEpochSecondsConverter))] public DateTimeOffset? CreatedDate { get; init; }
    [JsonConverter(typeof(NullableEpochSecondsConverter))] public DateTimeOffset? NextRotationDate { get; init; }
    public Dictionary<string, List<string>>? VersionIdsToStages { get; init; }
    public Dictionary<string, List<string>>? SecretVersionsToStages { get; init; }

    /// <summary>Which version holds which staging labels, whichever call answered.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, List<string>> Stages => VersionIdsToStages ?? SecretVersionsToStages ?? [];

    /// <summary>The version holding <paramref name="stage"/> (<c>AWSCURRENT</c>, <c>AWSPENDING</c>, <c>AWSPREVIOUS</c>), if any.</summary>
    public string? VersionWith(string stage) => Stages.FirstOrDefault(kv => kv.Value.Contains(stage)).Key;

    /// <summary>Rotation is set up: a rotation function and rules (RotationEnabled is left out when it never was).</summary>
    [JsonIgnore]
    public bool RotationConfigured => RotationEnabled == true && !string.IsNullOrEmpty(RotationLambdaArn);

    /// <summary>
    /// A rotation is under way or failed part-way: <c>AWSPENDING</c> sits on a version that is not <c>AWSCURRENT</c>
    /// (Secrets Manager refuses another RotateSecret until it is removed).
    /// </summary>
    [JsonIgnore]
    public string? UnfinishedVersion => Stages.FirstOrDefault(kv => kv.Value.Contains(SecretStages.Pending) && !kv.Value.Contains(SecretStages.Current)).Key;
}

public sealed record RotateSecretRequest
{
    public required string SecretId { get; init; }
    public string? ClientRequestToken { get; init; }
    public bool? RotateImmediately { get; init; }
}

public sealed record RotateSecretResponse
{
    [JsonPropertyName("ARN")] public string? Arn { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
}

/// <summary>Secrets Manager's staging labels.</summary>
public static class SecretStages
{
    public const string Current = "AWSCURRENT";
    public const string Pending = "AWSPENDING";
    public const string Previous = "AWSPREVIOUS";
}
