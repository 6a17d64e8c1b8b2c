using System.Net;

namespace Bot.Sandbox.Tests;

/// <summary>Application Auto Scaling for the DynamoDB tables over its JSON 1.1 wire protocol.</summary>
public sealed class ApplicationAutoScalingTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private Task<AwsAnswer> Call(string operation, object body) => _sandbox.JsonAsync("AnyScaleFrontendService." + operation, body);

    [Fact]
    public async Task The_provisioned_prod_tables_and_staging_activity_feed_scale_with_70_percent_target_tracking()
    {
        var targets = await Call("DescribeScalableTargets", new { ServiceNamespace = "dynamodb" });
        var policies = await Call("DescribeScalingPolicies", new { ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-activity-feed" });

        Assert.Equal(HttpStatusCode.OK, targets.Status);
        Assert.Equal("application/x-amz-json-1.1", targets.Response.Content.Headers.ContentType?.MediaType);
        var resources = targets.Body.GetProperty("ScalableTargets").EnumerateArray().Select(t => (t.GetProperty("ResourceId").GetString(), t.GetProperty("ScalableDimension").GetString())).ToList();
        Assert.Equal(6, resources.Count);
        Assert.Contains(("table/securebase-staging-activity-feed", "dynamodb:table:WriteCapacityUnits"), resources);
        Assert.DoesNotContain(resources, r => r.Item1 == "table/securebase-staging-user-invites");
        var read = policies.Body.GetProperty("ScalingPolicies").EnumerateArray().First(p => p.GetProperty("ScalableDimension").GetString() == "dynamodb:table:ReadCapacityUnits");
        var config = read.GetProperty("TargetTrackingScalingPolicyConfiguration");
        Assert.Equal(70.0, config.GetProperty("TargetValue").GetDouble());
        Assert.Equal("DynamoDBReadCapacityUtilization", config.GetProperty("PredefinedMetricSpecification").GetProperty("PredefinedMetricType").GetString());
        AwsShapes.AssertMatches("application-autoscaling", "DescribeScalableTargetsResponse", targets.Body);
        AwsShapes.AssertMatches("application-autoscaling", "DescribeScalingPoliciesResponse", policies.Body);
    }

    [Fact]
    public async Task Registering_a_target_and_a_policy_as_the_guide_does_then_deregistering_removes_both()
    {
        var registered = await Call("RegisterScalableTarget", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-user-sessions", ScalableDimension = "dynamodb:table:ReadCapacityUnits",
            MinCapacity = 10, MaxCapacity = 1000,
        });
        var policy = await Call("PutScalingPolicy", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-user-sessions", ScalableDimension = "dynamodb:table:ReadCapacityUnits",
            PolicyName = "scaling-policy", PolicyType = "TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration = new { TargetValue = 70.0, PredefinedMetricSpecification = new { PredefinedMetricType = "DynamoDBReadCapacityUtilization" } },
        });
        var deregistered = await Call("DeregisterScalableTarget", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-user-sessions", ScalableDimension = "dynamodb:table:ReadCapacityUnits",
        });
        var left = await Call("DescribeScalingPolicies", new { ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-user-sessions" });

        AwsShapes.AssertMatches("application-autoscaling", "RegisterScalableTargetResponse", registered.Body);
        AwsShapes.AssertMatches("application-autoscaling", "PutScalingPolicyResponse", policy.Body);
        Assert.StartsWith("arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/", registered.Body.GetProperty("ScalableTargetARN").GetString());
        Assert.EndsWith(":resource/dynamodb/table/securebase-prod-user-sessions:policyName/scaling-policy", policy.Body.GetProperty("PolicyARN").GetString());
        Assert.Equal(4, policy.Body.GetProperty("Alarms").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, deregistered.Status);
        Assert.Equal(0, left.Body.GetProperty("ScalingPolicies").GetArrayLength());
    }

    [Fact]
    public async Task A_policy_without_a_target_a_mismatched_metric_and_an_unknown_table_are_refused()
    {
        var noTarget = await Call("PutScalingPolicy", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-dev-user-invites", ScalableDimension = "dynamodb:table:WriteCapacityUnits",
            PolicyName = "p", PolicyType = "TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration = new { TargetValue = 70.0, PredefinedMetricSpecification = new { PredefinedMetricType = "DynamoDBWriteCapacityUtilization" } },
        });
        var mismatch = await Call("PutScalingPolicy", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-activity-feed", ScalableDimension = "dynamodb:table:WriteCapacityUnits",
            PolicyName = "p", PolicyType = "TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration = new { TargetValue = 70.0, PredefinedMetricSpecification = new { PredefinedMetricType = "DynamoDBReadCapacityUtilization" } },
        });
        var unknown = await Call("RegisterScalableTarget", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-nope", ScalableDimension = "dynamodb:table:ReadCapacityUnits", MinCapacity = 1, MaxCapacity = 2,
        });
        var inverted = await Call("RegisterScalableTarget", new
        {
            ServiceNamespace = "dynamodb", ResourceId = "table/securebase-prod-reports", ScalableDimension = "dynamodb:table:ReadCapacityUnits", MinCapacity = 20, MaxCapacity = 2,
        });

        Assert.Equal("ObjectNotFoundException", noTarget.ErrorType);
        Assert.Equal("No scalable target registered for service namespace: dynamodb, resource ID: table/securebase-dev-user-invites, scalable dimension: dynamodb:table:WriteCapacityUnits",
            noTarget.Body.GetProperty("message").GetString());
        Assert.Equal("ValidationException", mismatch.ErrorType);
        Assert.Equal("ValidationException", unknown.ErrorType);
        Assert.Contains("Minimum capacity cannot be greater than maximum capacity", inverted.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DescribeScalableTargets_pages_with_NextToken()
    {
        var first = await Call("DescribeScalableTargets", new { ServiceNamespace = "dynamodb", MaxResults = 4 });
        var second = await Call("DescribeScalableTargets", new { ServiceNamespace = "dynamodb", MaxResults = 4, NextToken = first.Body.GetProperty("NextToken").GetString() });

        Assert.Equal(4, first.Body.GetProperty("ScalableTargets").GetArrayLength());
        Assert.Equal(2, second.Body.GetProperty("ScalableTargets").GetArrayLength());
        Assert.False(second.Body.TryGetProperty("NextToken", out _));
    }
}
