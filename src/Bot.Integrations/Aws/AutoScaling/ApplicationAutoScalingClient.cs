using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.AutoScaling;

public sealed class ApplicationAutoScalingClient(HttpClient http) : IApplicationAutoScalingClient
{
    private const string Namespace = "dynamodb";
    private const int MaxPages = 20;
    private readonly AwsJsonRpc _rpc = new(http, AwsService.ApplicationAutoScaling, "1.1", "AnyScaleFrontendService", AwsJson.Pascal);

    public async Task<IReadOnlyList<ScalableTarget>> DescribeScalableTargetsAsync(IReadOnlyList<string> resourceIds, CancellationToken cancellationToken)
    {
        var targets = new List<ScalableTarget>();
        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await _rpc.CallAsync<DescribeTargetsRequest, DescribeTargetsResponse>("DescribeScalableTargets",
                new DescribeTargetsRequest(Namespace, resourceIds, next), cancellationToken);
            targets.AddRange(answer.ScalableTargets);
            next = answer.NextToken;
            if (string.IsNullOrEmpty(next)) break;
        }
        return targets;
    }

    public async Task<IReadOnlyList<ScalingPolicy>> DescribeScalingPoliciesAsync(string resourceId, CancellationToken cancellationToken)
    {
        var policies = new List<ScalingPolicy>();
        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await _rpc.CallAsync<DescribePoliciesRequest, DescribePoliciesResponse>("DescribeScalingPolicies",
                new DescribePoliciesRequest(Namespace, resourceId, next), cancellationToken);
            policies.AddRange(answer.ScalingPolicies);
            next = answer.NextToken;
            if (string.IsNullOrEmpty(next)) break;
        }
        return policies;
    }

    public Task RegisterScalableTargetAsync(ScalableTarget target, CancellationToken cancellationToken) =>
        _rpc.CallAsync<ScalableTarget, Empty>("RegisterScalableTarget", target, cancellationToken);

    public Task PutScalingPolicyAsync(ScalingPolicy policy, CancellationToken cancellationToken) =>
        _rpc.CallAsync<ScalingPolicy, Empty>("PutScalingPolicy", policy, cancellationToken);

    public Task DeregisterScalableTargetAsync(string resourceId, string scalableDimension, CancellationToken cancellationToken) =>
        _rpc.CallAsync<TargetKey, Empty>("DeregisterScalableTarget", new TargetKey(Namespace, resourceId, scalableDimension), cancellationToken);
}
