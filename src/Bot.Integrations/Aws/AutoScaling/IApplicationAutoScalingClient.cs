namespace Bot.Integrations.Aws.AutoScaling;

/// <summary>
/// Application Auto Scaling for DynamoDB tables (AWS JSON 1.1, <c>AnyScaleFrontendService</c>): the targets and target
/// tracking policies of the ops guide's "Enable auto-scaling". Registering a DynamoDB target and putting its policy
/// also need DynamoDB and CloudWatch alarm permissions (AWS's documented requirement: the service acts with the caller's).
/// </summary>
[AwsClient("application-autoscaling")]
public interface IApplicationAutoScalingClient
{
    /// <summary>The targets of these resources (<c>table/…</c>, <c>table/…/index/…</c>), every page.</summary>
    Task<IReadOnlyList<ScalableTarget>> DescribeScalableTargetsAsync(IReadOnlyList<string> resourceIds, CancellationToken cancellationToken);

    /// <summary>The policies of one resource, every page.</summary>
    Task<IReadOnlyList<ScalingPolicy>> DescribeScalingPoliciesAsync(string resourceId, CancellationToken cancellationToken);

    [ChangesAws]
    [IamAction("application-autoscaling:RegisterScalableTarget")]
    [IamAction("dynamodb:DescribeTable")]
    [IamAction("dynamodb:UpdateTable")]
    [IamAction("cloudwatch:DescribeAlarms")]
    [IamAction("cloudwatch:PutMetricAlarm")]
    [IamAction("cloudwatch:DeleteAlarms")]
    Task RegisterScalableTargetAsync(ScalableTarget target, CancellationToken cancellationToken);

    [ChangesAws]
    [IamAction("application-autoscaling:PutScalingPolicy")]
    [IamAction("cloudwatch:DescribeAlarms")]
    [IamAction("cloudwatch:PutMetricAlarm")]
    [IamAction("cloudwatch:DeleteAlarms")]
    Task PutScalingPolicyAsync(ScalingPolicy policy, CancellationToken cancellationToken);

    /// <summary>Removes a target and its policies (a table going on-demand has nothing to scale).</summary>
    [ChangesAws]
    [IamAction("application-autoscaling:DeregisterScalableTarget")]
    [IamAction("cloudwatch:DeleteAlarms")]
    Task DeregisterScalableTargetAsync(string resourceId, string scalableDimension, CancellationToken cancellationToken);
}
