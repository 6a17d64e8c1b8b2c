namespace Bot.Integrations.Aws.AutoScaling;

/// <summary>A scalable target: a table's (or index's) read or write capacity kept between two bounds.</summary>
public sealed record ScalableTarget
{
    public string ServiceNamespace { get; init; } = "dynamodb";
    /// <summary><c>table/&lt;name&gt;</c> or <c>table/&lt;name&gt;/index/&lt;index&gt;</c>.</summary>
    public string ResourceId { get; init; } = "";
    /// <summary><c>dynamodb:table:ReadCapacityUnits</c>, <c>dynamodb:index:WriteCapacityUnits</c>, …</summary>
    public string ScalableDimension { get; init; } = "";
    public int MinCapacity { get; init; }
    public int MaxCapacity { get; init; }
}

/// <summary>A scaling policy; the bot reads and writes target tracking ones (the guide's 70 %).</summary>
public sealed record ScalingPolicy
{
    public string PolicyName { get; init; } = "";
    public string ServiceNamespace { get; init; } = "dynamodb";
    public string ResourceId { get; init; } = "";
    public string ScalableDimension { get; init; } = "";
    public string PolicyType { get; init; } = "TargetTrackingScaling";
    public TargetTrackingConfiguration? TargetTrackingScalingPolicyConfiguration { get; init; }
}

public sealed record TargetTrackingConfiguration
{
    public double TargetValue { get; init; }
    public PredefinedMetric? PredefinedMetricSpecification { get; init; }
}

public sealed record PredefinedMetric(string PredefinedMetricType);

internal sealed record DescribeTargetsRequest(string ServiceNamespace, IReadOnlyList<string>? ResourceIds, string? NextToken);

internal sealed record DescribeTargetsResponse
{
    public List<ScalableTarget> ScalableTargets { get; init; } = [];
    public string? NextToken { get; init; }
}

internal sealed record DescribePoliciesRequest(string ServiceNamespace, string? ResourceId, string? NextToken);

internal sealed record DescribePoliciesResponse
{
    public List<ScalingPolicy> ScalingPolicies { get; init; } = [];
    public string? NextToken { get; init; }
}

internal sealed record TargetKey(string ServiceNamespace, string ResourceId, string ScalableDimension);

internal sealed record Empty;
