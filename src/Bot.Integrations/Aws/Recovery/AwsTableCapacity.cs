using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Integrations.Aws.AutoScaling;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws.Recovery;

/// <summary><see cref="ITableCapacity"/> over DynamoDB UpdateTable and Application Auto Scaling (the guide's "Switch DynamoDB to Provisioned Capacity").</summary>
public sealed class AwsTableCapacity(IDynamoDbRecovery dynamo, IApplicationAutoScalingClient scaling) : ITableCapacity
{
    public Task<CapacityFacts> GetCapacityAsync(string table, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(async () =>
    {
        var t = await dynamo.DescribeTableDetailsAsync(table, cancellationToken);
        var resources = new List<string> { $"table/{table}" };
        resources.AddRange(t.IndexCapacity.Keys.Select(i => $"table/{table}/index/{i}"));
        var targets = await scaling.DescribeScalableTargetsAsync(resources, cancellationToken);
        var settings = new List<AutoscaleSetting>();
        foreach (var group in targets.GroupBy(x => x.ResourceId))
        {
            var policies = await scaling.DescribeScalingPoliciesAsync(group.Key, cancellationToken);
            settings.AddRange(group.Select(x => new AutoscaleSetting(x.ResourceId, x.ScalableDimension, x.MinCapacity, x.MaxCapacity,
                policies.FirstOrDefault(p => p.ScalableDimension == x.ScalableDimension && p.PolicyType == "TargetTrackingScaling")?.TargetTrackingScalingPolicyConfiguration?.TargetValue)));
        }
        return new CapacityFacts(t.Name, t.BillingMode, t.ReadCapacity, t.WriteCapacity, t.IndexCapacity,
            settings.OrderBy(s => s.ResourceId, StringComparer.Ordinal).ThenBy(s => s.Dimension, StringComparer.Ordinal).ToList(), t.LastSwitchToOnDemand);
    });

    public Task SetProvisionedAsync(string table, long read, long write, IReadOnlyList<string> indexes, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PROVISIONED,
            ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = read, WriteCapacityUnits = write },
            GlobalSecondaryIndexUpdates = indexes.Count == 0 ? null : indexes.Select(i => new GlobalSecondaryIndexUpdate
            {
                Update = new UpdateGlobalSecondaryIndexAction
                {
                    IndexName = i,
                    ProvisionedThroughput = new ProvisionedThroughput { ReadCapacityUnits = read, WriteCapacityUnits = write },
                },
            }).ToList(),
        }, cancellationToken));

    public Task SetOnDemandAsync(string table, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST }, cancellationToken));

    public Task SetAutoscalingAsync(AutoscaleSetting setting, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(async () =>
    {
        await scaling.RegisterScalableTargetAsync(new ScalableTarget
        {
            ResourceId = setting.ResourceId,
            ScalableDimension = setting.Dimension,
            MinCapacity = setting.Min,
            MaxCapacity = setting.Max,
        }, cancellationToken);
        if (setting.TargetUtilization is { } target)
        {
            await scaling.PutScalingPolicyAsync(new ScalingPolicy
            {
                PolicyName = PolicyName(setting.ResourceId, setting.Dimension),
                ResourceId = setting.ResourceId,
                ScalableDimension = setting.Dimension,
                TargetTrackingScalingPolicyConfiguration = new TargetTrackingConfiguration
                {
                    TargetValue = target,
                    PredefinedMetricSpecification = new PredefinedMetric(setting.Dimension.EndsWith("ReadCapacityUnits", StringComparison.Ordinal)
                        ? "DynamoDBReadCapacityUtilization" : "DynamoDBWriteCapacityUtilization"),
                },
            }, cancellationToken);
        }
    });

    public Task RemoveAutoscalingAsync(string resourceId, string dimension, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => scaling.DeregisterScalableTargetAsync(resourceId, dimension, cancellationToken));

    /// <summary>The policy the bot writes for a target, e.g. <c>securebase-ops-bot-read-scaling</c> (one per dimension, replaced in place).</summary>
    public static string PolicyName(string resourceId, string dimension) =>
        $"securebase-ops-bot-{(dimension.EndsWith("ReadCapacityUnits", StringComparison.Ordinal) ? "read" : "write")}-scaling";
}
