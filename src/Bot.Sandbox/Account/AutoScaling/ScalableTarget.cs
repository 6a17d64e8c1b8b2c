using System.Text.Json;

namespace Bot.Sandbox.Account.AutoScaling;

/// <summary>A registered scalable target: a DynamoDB table's (or index's) read or write capacity kept between min and max.</summary>
internal sealed record ScalableTarget(
    string ServiceNamespace,
    string ResourceId,
    string ScalableDimension,
    int MinCapacity,
    int MaxCapacity,
    string RoleArn,
    DateTimeOffset Created,
    string Arn,
    JsonElement? SuspendedState);

/// <summary>A scaling policy on a target, with the CloudWatch alarms Application Auto Scaling made for it.</summary>
internal sealed record ScalingPolicy(
    string Arn,
    string Name,
    string ServiceNamespace,
    string ResourceId,
    string ScalableDimension,
    string PolicyType,
    JsonElement? TargetTrackingConfiguration,
    JsonElement? StepScalingConfiguration,
    IReadOnlyList<string> AlarmNames,
    DateTimeOffset Created);
