using Bot.Testing;
using Bot.Tests;
namespace Bot.Tests.Deploy;

/// <summary><c>deploy/iam-policy.json</c> grants exactly the AWS calls the bot can make, on SecureBase resources and its own table.</summary>
public sealed class IamPolicyTests
{
    private static IEnumerable<PolicyStatement> ClientStatements() => AwsActions.PolicyStatements().Where(s => s.Sid != AwsActions.StateTableSid);

    public static TheoryData<string> ClientOperations() => [.. AwsActions.CalledByClients().Select(a => a.Action)];

    [Theory]
    [MemberData(nameof(ClientOperations))]
    public void Every_AWS_operation_the_clients_call_is_granted(string action) =>
        Assert.Contains(action, ClientStatements().SelectMany(s => s.Actions));

    [Fact]
    public void Nothing_is_granted_that_no_client_calls() =>
        Assert.Empty(ClientStatements().SelectMany(s => s.Actions).Except(AwsActions.CalledByClients().Select(a => a.Action)));

    [Fact]
    public void The_clients_are_found_from_the_code()
    {
        var prefixes = AwsActions.CalledByClients().Select(a => a.Action.Split(':')[0]).Distinct().Order();

        Assert.Equal(["application-autoscaling", "ce", "cloudwatch", "dynamodb", "iam", "kms", "lambda", "logs", "s3", "secretsmanager"], prefixes);
    }

    [Fact]
    public void A_client_method_nothing_in_the_bot_calls_is_granted_nothing()
    {
        var uncalled = AwsActions.ClientMethods().SelectMany(AwsActions.Actions).Select(a => a.Action).Distinct()
            .Except(AwsActions.CalledByClients().Select(a => a.Action)).Order(StringComparer.Ordinal).ToList();
        var granted = AwsActions.PolicyStatements().SelectMany(s => s.Actions).ToHashSet();

        Assert.Empty(uncalled);
        Assert.All(uncalled, action => Assert.DoesNotContain(action, granted));
    }

    [Fact]
    public void Invoking_is_granted_on_staging_and_dev_functions_only_never_on_prod()
    {
        var resources = AwsActions.PolicyStatements().Where(s => s.Actions.Contains("lambda:InvokeFunction")).SelectMany(s => s.Resources).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Matches(@"^arn:aws:lambda:\*:\*:function:securebase-(staging|dev)-\*(:\*)?$", r));
    }

    [Fact]
    public void Every_resource_is_a_securebase_one_or_the_bots_table_or_any_only_where_aws_offers_nothing_narrower()
    {
        foreach (var statement in AwsActions.PolicyStatements())
            foreach (var resource in statement.Resources)
            {
                if (resource == "*") Assert.All(statement.Actions, a => Assert.Contains(a, IamScope.UnscopedActions));
                else Assert.Matches(IamScope.SecureBaseArn, resource);
            }
    }

    [Fact]
    public void The_policy_grants_no_wildcard_actions() =>
        Assert.DoesNotContain(AwsActions.PolicyStatements().SelectMany(s => s.Actions), a => a.Contains('*', StringComparison.Ordinal));
}

/// <summary>What "scoped to SecureBase" means for a resource.</summary>
public static class IamScope
{
    /// <summary>Actions whose IAM definition offers no resource to scope them to (or only the query id / account), so they take <c>*</c>.</summary>
    public static readonly IReadOnlySet<string> UnscopedActions = new HashSet<string>(StringComparer.Ordinal)
    {
        "cloudwatch:GetMetricData", "cloudwatch:DescribeAlarms", "ce:GetCostAndUsage", "secretsmanager:ListSecrets",
        // A Logs Insights query's results are read by query id; backups are listed for the account (ListBackups names no table).
        "logs:GetQueryResults", "dynamodb:ListBackups",
        // CloudWatch draws a widget from the metrics its JSON names; the action has no resource. Cost Explorer has none either;
        // listing log groups (by prefix) is authorized on the account's log groups as a whole.
        "cloudwatch:GetMetricWidgetImage", "ce:GetCostForecast", "logs:DescribeLogGroups",
        // Scalable targets have opaque ids, and describing them names none; registering one also needs dynamodb:UpdateTable on the table.
        "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
        "application-autoscaling:RegisterScalableTarget", "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeregisterScalableTarget",
    };

    /// <summary>
    /// A Lambda function, DynamoDB table (its indexes, its exports) or log group whose name starts with <c>securebase-</c>;
    /// a SecureBase reports bucket (and its objects); the alarms auto scaling keeps for SecureBase tables; a SecureBase
    /// execution role or customer managed policy; a SecureBase secret; the CloudTrail trail's log group
    /// (<c>aws-cloudtrail-logs-*</c>, the console's default name); the guide's dashboards (<c>SecureBase-*</c>); the objects of the audit exports bucket; or a KMS key,
    /// which has no name to scope by: its statement is narrowed to the bot's own key by the key's tag.
    /// </summary>
    public const string SecureBaseArn =
        @"^arn:aws:(lambda:[^:]+:[^:]+:function:securebase-[^:]*(:\*)?|dynamodb:[^:]+:[^:]+:table/securebase-[^/]*(/index/\*|/export/\*)?|logs:[^:]+:[^:]+:log-group:(/aws/lambda/securebase-\*|aws-cloudtrail-logs-\*)"
        + @"|s3:::securebase-\*-reports-\*(/\*)?|cloudwatch:[^:]+:[^:]+:alarm:TargetTracking-table/securebase-\*|cloudwatch::[^:]+:dashboard/SecureBase-\*|kms:[^:]+:[^:]+:key/\*"
        + @"|iam::[^:]+:(role|policy)/securebase-\*|secretsmanager:[^:]+:[^:]+:secret:securebase-\*|s3:::securebase-audit-exports/\*)$";
}
