using System.Text.Json;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.AutoScaling;

/// <summary>
/// Application Auto Scaling for the account's DynamoDB tables: scalable targets (<c>table/&lt;name&gt;</c> or
/// <c>table/&lt;name&gt;/index/&lt;index&gt;</c>, dimensions <c>dynamodb:table:ReadCapacityUnits</c> and friends) and
/// their scaling policies. It records what is registered; it does not change the tables' capacity over time.
/// Seeded: read and write targets with 70 % target tracking policies on the provisioned prod tables
/// (user-invites, activity-feed) and on <c>securebase-staging-activity-feed</c>; none on
/// <c>securebase-staging-user-invites</c> (provisioned without auto scaling) or in dev. Thread-safe.
/// </summary>
public sealed class ScalingRegistry
{
    public static readonly IReadOnlyList<string> DynamoDimensions =
    [
        "dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits",
        "dynamodb:index:ReadCapacityUnits", "dynamodb:index:WriteCapacityUnits",
    ];

    private readonly Lock _gate = new();
    private readonly SandboxAccount _account;
    private readonly List<ScalableTarget> _targets = [];
    private readonly List<ScalingPolicy> _policies = [];
    private long _ids;

    internal ScalingRegistry(SandboxAccount account)
    {
        _account = account;
        AutoScalingSeed.Apply(this, account);
    }

    /// <summary>RegisterScalableTarget: creates the target, or updates the given members of an existing one.</summary>
    internal ScalableTarget Register(string ns, string resourceId, string dimension, int? min, int? max, string? roleArn, JsonElement? suspended, DateTimeOffset? at = null)
    {
        CheckResource(ns, resourceId, dimension);
        lock (_gate)
        {
            var existing = _targets.FirstOrDefault(t => t.ResourceId == resourceId && t.ScalableDimension == dimension);
            if (existing is null && (min is null || max is null))
                throw new AwsException("ValidationException", "MinCapacity and MaxCapacity must be specified when registering a new scalable target");
            var (lo, hi) = (min ?? existing!.MinCapacity, max ?? existing!.MaxCapacity);
            if (lo < 0 || hi < 0) throw new AwsException("ValidationException", "Capacity must be greater than or equal to 0");
            if (lo > hi) throw new AwsException("ValidationException", "Minimum capacity cannot be greater than maximum capacity");
            var target = existing is null
                ? new ScalableTarget(ns, resourceId, dimension, lo, hi, roleArn ?? ServiceLinkedRole, at ?? Now, TargetArn(), suspended)
                : existing with { MinCapacity = lo, MaxCapacity = hi, RoleArn = roleArn ?? existing.RoleArn, SuspendedState = suspended ?? existing.SuspendedState };
            if (existing is not null) _targets.Remove(existing);
            _targets.Add(target);
            return target;
        }
    }

    internal IReadOnlyList<ScalableTarget> Targets(string ns, IReadOnlyList<string> resourceIds, string? dimension)
    {
        lock (_gate)
            return _targets.Where(t => t.ServiceNamespace == ns && (resourceIds.Count == 0 || resourceIds.Contains(t.ResourceId)) && (dimension is null || t.ScalableDimension == dimension))
                .OrderBy(t => t.ResourceId, StringComparer.Ordinal).ThenBy(t => t.ScalableDimension, StringComparer.Ordinal).ToList();
    }

    /// <summary>DeregisterScalableTarget: the target and its policies.</summary>
    internal void Deregister(string ns, string resourceId, string dimension)
    {
        lock (_gate)
        {
            var target = Find(ns, resourceId, dimension);
            _targets.Remove(target);
            _policies.RemoveAll(p => p.ResourceId == resourceId && p.ScalableDimension == dimension);
        }
    }

    /// <summary>PutScalingPolicy: creates or replaces the named policy on a registered target.</summary>
    internal ScalingPolicy PutPolicy(string name, string ns, string resourceId, string dimension, string type, JsonElement? targetTracking, JsonElement? stepScaling, DateTimeOffset? at = null)
    {
        CheckResource(ns, resourceId, dimension);
        lock (_gate)
        {
            Find(ns, resourceId, dimension);
            var existing = _policies.FirstOrDefault(p => p.Name == name && p.ResourceId == resourceId && p.ScalableDimension == dimension);
            var id = Deterministic.Guid(_account.Options.Seed, "scaling-policy:" + resourceId + dimension + name, Interlocked.Increment(ref _ids)).ToString();
            var alarms = type == "TargetTrackingScaling"
                ? new[] { "AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow" }
                    .Select(k => $"TargetTracking-{resourceId}-{k}-{Deterministic.Guid(_account.Options.Seed, id + k)}").ToList()
                : [];
            var arn = existing?.Arn ??
                $"arn:aws:autoscaling:{_account.Options.Region}:{_account.Options.AccountId}:scalingPolicy:{id}:resource/{ns}/{resourceId}:policyName/{name}";
            var policy = new ScalingPolicy(arn, name, ns, resourceId, dimension, type, targetTracking, stepScaling,
                existing?.AlarmNames ?? alarms, existing?.Created ?? at ?? Now);
            if (existing is not null) _policies.Remove(existing);
            _policies.Add(policy);
            return policy;
        }
    }

    internal IReadOnlyList<ScalingPolicy> Policies(string ns, IReadOnlyList<string> names, string? resourceId, string? dimension)
    {
        lock (_gate)
            return _policies.Where(p => p.ServiceNamespace == ns && (names.Count == 0 || names.Contains(p.Name))
                                        && (resourceId is null || p.ResourceId == resourceId) && (dimension is null || p.ScalableDimension == dimension))
                .OrderBy(p => p.ResourceId, StringComparer.Ordinal).ThenBy(p => p.ScalableDimension, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    internal void DeletePolicy(string name, string ns, string resourceId, string dimension)
    {
        lock (_gate)
        {
            var policy = _policies.FirstOrDefault(p => p.Name == name && p.ServiceNamespace == ns && p.ResourceId == resourceId && p.ScalableDimension == dimension)
                ?? throw new AwsException("ObjectNotFoundException", $"No scaling policy found for service namespace: {ns}, resource ID: {resourceId}, scalable dimension: {dimension}, policy name: {name}");
            _policies.Remove(policy);
        }
    }

    /// <summary>The ARN of a CloudWatch alarm Application Auto Scaling made.</summary>
    internal string AlarmArn(string name) => $"arn:aws:cloudwatch:{_account.Options.Region}:{_account.Options.AccountId}:alarm:{name}";

    private ScalableTarget Find(string ns, string resourceId, string dimension) =>
        _targets.FirstOrDefault(t => t.ServiceNamespace == ns && t.ResourceId == resourceId && t.ScalableDimension == dimension)
        ?? throw new AwsException("ObjectNotFoundException",
            $"No scalable target registered for service namespace: {ns}, resource ID: {resourceId}, scalable dimension: {dimension}");

    /// <summary>Only DynamoDB tables of this account, with a dimension that fits the resource.</summary>
    private void CheckResource(string ns, string resourceId, string dimension)
    {
        if (ns != "dynamodb")
            throw new AwsException("ValidationException", $"The sandbox serves Application Auto Scaling for DynamoDB only, not service namespace {ns}");
        if (!DynamoDimensions.Contains(dimension))
            throw new AwsException("ValidationException",
                $"1 validation error detected: Value '{dimension}' at 'scalableDimension' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", DynamoDimensions)}]");
        var parts = resourceId.Split('/');
        var isIndex = parts is ["table", _, "index", _];
        if (!(parts is ["table", _] || isIndex) || dimension.StartsWith("dynamodb:index:", StringComparison.Ordinal) != isIndex)
            throw new AwsException("ValidationException", $"Unsupported resource ID {resourceId} for scalable dimension {dimension}");
        var table = _account.DynamoDb.Find(parts[1]);
        if (table is null || (isIndex && TableIndexes.Of(table.Definition).All(i => i.Name != parts[3])))
            throw new AwsException("ValidationException", $"Unable to find the {(isIndex ? "index" : "table")} {resourceId[6..]}");
    }

    private string TargetArn() =>
        $"arn:aws:application-autoscaling:{_account.Options.Region}:{_account.Options.AccountId}:scalable-target/0d{Deterministic.Guid(_account.Options.Seed, "scalable-target", Interlocked.Increment(ref _ids)).ToString("N")[..26]}";

    private DateTimeOffset Now => _account.Time.GetUtcNow();

    /// <summary>The service-linked role Application Auto Scaling uses for DynamoDB.</summary>
    internal string ServiceLinkedRole =>
        $"arn:aws:iam::{_account.Options.AccountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable";
}
