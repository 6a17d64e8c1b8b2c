using System.Globalization;
using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.AutoScaling;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// Application Auto Scaling (AWS JSON 1.1, <c>AnyScaleFrontendService</c>, signing name <c>application-autoscaling</c>)
/// for DynamoDB: RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget, PutScalingPolicy,
/// DescribeScalingPolicies, DeleteScalingPolicy. State lives in <see cref="SandboxAccount.AutoScaling"/>.
/// </summary>
internal sealed class ApplicationAutoScalingService(SandboxAccount account) : IJsonService
{
    private static readonly string[] Namespaces =
    [
        "ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker", "custom-resource", "comprehend",
        "lambda", "cassandra", "kafka", "elasticache", "neptune", "workspaces",
    ];

    public string TargetPrefix => "AnyScaleFrontendService";
    public string SigningName => "application-autoscaling";
    public WireProtocol Protocol => WireProtocol.Json11;
    public string ErrorNamespace => "";
    public string ValidationCode => "ValidationException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "RegisterScalableTarget" or "DescribeScalableTargets" or "DeregisterScalableTarget"
        or "PutScalingPolicy" or "DescribeScalingPolicies" or "DeleteScalingPolicy";

    private ScalingRegistry Registry => account.AutoScaling;

    public object Invoke(string operation, JsonInput input) => operation switch
    {
        "RegisterScalableTarget" => Register(input),
        "DescribeScalableTargets" => DescribeTargets(input),
        "DeregisterScalableTarget" => Deregister(input),
        "PutScalingPolicy" => PutPolicy(input),
        "DescribeScalingPolicies" => DescribePolicies(input),
        _ => DeletePolicy(input),
    };

    private object Register(JsonInput input)
    {
        var (ns, resource, dimension) = Target(input);
        var target = Registry.Register(ns, resource, dimension, input.Int("MinCapacity"), input.Int("MaxCapacity"), input.String("RoleARN"),
            input.Object("SuspendedState") is not null ? input.Element("SuspendedState")!.Value.Clone() : null);
        return new { ScalableTargetARN = target.Arn };
    }

    private object DescribeTargets(JsonInput input)
    {
        var ns = Namespace(input);
        var targets = Registry.Targets(ns, input.Strings("ResourceIds"), input.String("ScalableDimension"));
        var (page, next) = Page(input, targets);
        return new
        {
            ScalableTargets = page.Select(t => new
            {
                ServiceNamespace = t.ServiceNamespace,
                ResourceId = t.ResourceId,
                ScalableDimension = t.ScalableDimension,
                MinCapacity = t.MinCapacity,
                MaxCapacity = t.MaxCapacity,
                RoleARN = t.RoleArn,
                CreationTime = SandboxJson.EpochSeconds(t.Created),
                SuspendedState = t.SuspendedState ?? JsonSerializer.SerializeToElement(new { DynamicScalingInSuspended = false, DynamicScalingOutSuspended = false, ScheduledScalingSuspended = false }),
                ScalableTargetARN = t.Arn,
            }).ToList(),
            NextToken = next,
        };
    }

    private object Deregister(JsonInput input)
    {
        var (ns, resource, dimension) = Target(input);
        Registry.Deregister(ns, resource, dimension);
        return new { };
    }

    private object PutPolicy(JsonInput input)
    {
        var (ns, resource, dimension) = Target(input);
        var name = input.RequiredString("PolicyName");
        var type = input.String("PolicyType") ?? "StepScaling";
        JsonElement? tracking = null, step = null;
        if (type == "TargetTrackingScaling")
        {
            var config = input.Object("TargetTrackingScalingPolicyConfiguration")
                         ?? throw input.Invalid("TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling");
            if (config.Double("TargetValue") is not { } value || value <= 0 || double.IsNaN(value))
                throw input.Invalid("TargetValue must be a positive number");
            var metric = config.Object("PredefinedMetricSpecification")?.String("PredefinedMetricType");
            var expected = dimension.EndsWith("ReadCapacityUnits", StringComparison.Ordinal) ? "DynamoDBReadCapacityUtilization" : "DynamoDBWriteCapacityUtilization";
            if (metric is not null && metric != expected)
                throw input.Invalid($"Predefined metric type {metric} is not compatible with scalable dimension {dimension}; use {expected}");
            if (metric is null && !config.Has("CustomizedMetricSpecification"))
                throw input.Invalid("Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified");
            tracking = input.Element("TargetTrackingScalingPolicyConfiguration")!.Value.Clone();
        }
        else if (type == "StepScaling")
        {
            step = input.Element("StepScalingPolicyConfiguration")?.Clone()
                   ?? throw input.Invalid("StepScalingPolicyConfiguration is required for a policy of type StepScaling");
        }
        else throw input.Invalid($"1 validation error detected: Value '{type}' at 'policyType' failed to satisfy constraint: Member must satisfy enum value set: [PredictiveScaling, StepScaling, TargetTrackingScaling]");

        var policy = Registry.PutPolicy(name, ns, resource, dimension, type, tracking, step);
        return new
        {
            PolicyARN = policy.Arn,
            Alarms = policy.AlarmNames.Select(a => new { AlarmName = a, AlarmARN = Registry.AlarmArn(a) }).ToList(),
        };
    }

    private object DescribePolicies(JsonInput input)
    {
        var ns = Namespace(input);
        var policies = Registry.Policies(ns, input.Strings("PolicyNames"), input.String("ResourceId"), input.String("ScalableDimension"));
        var (page, next) = Page(input, policies);
        return new
        {
            ScalingPolicies = page.Select(p => new
            {
                PolicyARN = p.Arn,
                PolicyName = p.Name,
                ServiceNamespace = p.ServiceNamespace,
                ResourceId = p.ResourceId,
                ScalableDimension = p.ScalableDimension,
                PolicyType = p.PolicyType,
                StepScalingPolicyConfiguration = p.StepScalingConfiguration,
                TargetTrackingScalingPolicyConfiguration = p.TargetTrackingConfiguration,
                Alarms = p.AlarmNames.Select(a => new { AlarmName = a, AlarmARN = Registry.AlarmArn(a) }).ToList(),
                CreationTime = SandboxJson.EpochSeconds(p.Created),
            }).ToList(),
            NextToken = next,
        };
    }

    private object DeletePolicy(JsonInput input)
    {
        var (ns, resource, dimension) = Target(input);
        Registry.DeletePolicy(input.RequiredString("PolicyName"), ns, resource, dimension);
        return new { };
    }

    private static (string Namespace, string ResourceId, string Dimension) Target(JsonInput input) =>
        (Namespace(input), input.RequiredString("ResourceId"), input.RequiredString("ScalableDimension"));

    private static string Namespace(JsonInput input)
    {
        var ns = input.RequiredString("ServiceNamespace");
        if (!Namespaces.Contains(ns))
            throw input.Invalid($"1 validation error detected: Value '{ns}' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", Namespaces)}]");
        return ns;
    }

    /// <summary>MaxResults (at most 50) and NextToken paging; the token is the offset.</summary>
    private static (List<T> Page, string? Next) Page<T>(JsonInput input, IReadOnlyList<T> all)
    {
        var max = input.Int("MaxResults") ?? 50;
        if (max is < 1 or > 50) throw input.Invalid($"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50");
        var offset = 0;
        if (input.String("NextToken") is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > all.Count))
            throw new AwsException("InvalidNextTokenException", "Invalid token");
        var page = all.Skip(offset).Take(max).ToList();
        return (page, offset + page.Count < all.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }
}
