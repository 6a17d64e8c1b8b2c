using Bot.Testing;
using Bot.Tests;
using System.Text.Json;
using Bot.Workflows.Storage.DynamoDb;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// deploy/aws/securebase-ops-bot.yml, deployed with each combination of its <c>Transport</c> and <c>Access</c>
/// parameters: the task role grants exactly the AWS calls the code makes (minus the changes, read-only), scoped to
/// SecureBase resources and the bot's own table; the table is deploy/dynamodb-table.json with point-in-time recovery
/// and TTL; secrets come from Secrets Manager; two tasks behind HTTPS, or Socket Mode with no load balancer.
/// </summary>
public sealed class CloudFormationTemplateTests
{
    private static List<Dictionary<string, object>> TaskRoleStatements(CloudFormationTemplate t) =>
        List(At(t.Properties("TaskRole"), "Policies.0.PolicyDocument.Statement")).Cast<Dictionary<string, object>>().ToList();

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(Stack))]
    public void The_task_role_grants_exactly_the_calls_the_code_makes_and_the_read_only_variant_none_that_change_anything(string transport, string access)
    {
        var template = Deployed(transport, access);
        var statements = TaskRoleStatements(template);
        var table = template.ArnOf("StateTable");

        var onClients = statements.Where(s => (string)s["Sid"] != AwsActions.StateTableSid).SelectMany(s => Strings(s["Action"])).Distinct().Order().ToList();
        var onTable = Strings(statements.Single(s => (string)s["Sid"] == AwsActions.StateTableSid)["Action"]);
        var expected = AwsActions.CalledByClients().Where(a => access == "full" || !a.Changes).Select(a => a.Action).Order().ToList();

        Assert.Equal(expected, onClients);
        Assert.Equal(AwsActions.StateTable(), onTable);
        Assert.Equal([table, table + "/index/*"], Strings(statements.Single(s => (string)s["Sid"] == AwsActions.StateTableSid)["Resource"]));
        Assert.All(statements, s => Assert.Equal("Allow", s["Effect"]));
    }

    [Fact]
    public void The_full_policy_is_deploy_iam_policy_json_with_this_account_region_and_table()
    {
        var template = Deployed();
        static string Normalize(string arn) => arn.Replace("arn:aws:", "", StringComparison.Ordinal)
            .Replace(":REGION:ACCOUNT:", ":*:*:", StringComparison.Ordinal).Replace("iam::ACCOUNT:", "iam::*:", StringComparison.Ordinal)
            .Replace("cloudwatch::ACCOUNT:", "cloudwatch::*:", StringComparison.Ordinal);

        var fromTemplate = TaskRoleStatements(template).Select(s => (Sid: (string)s["Sid"], Actions: Strings(s["Action"]), Resources: Strings(s["Resource"]).Select(Normalize).ToList()));
        var fromJson = AwsActions.PolicyStatements().Select(s => (s.Sid, Actions: s.Actions.ToList(), Resources: s.Resources.Select(r => r.Replace("arn:aws:", "", StringComparison.Ordinal)).ToList()));

        Assert.Equal(
            fromJson.Select(s => $"{s.Sid}: {string.Join(",", s.Actions)} on {string.Join(",", s.Resources)}"),
            fromTemplate.Select(s => $"{s.Sid}: {string.Join(",", s.Actions)} on {string.Join(",", s.Resources)}"));
    }

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(Stack))]
    public void Every_resource_granted_is_a_securebase_one_or_the_bots_table_or_any_only_where_aws_offers_nothing_narrower(string transport, string access)
    {
        foreach (var statement in TaskRoleStatements(Deployed(transport, access)))
            foreach (var resource in Strings(statement["Resource"]))
            {
                if (resource == "*") Assert.All(Strings(statement["Action"]), a => Assert.Contains(a, IamScope.UnscopedActions));
                else Assert.Matches(IamScope.SecureBaseArn, resource.Replace(":REGION:ACCOUNT:", ":*:*:", StringComparison.Ordinal).Replace("iam::ACCOUNT:", "iam::*:", StringComparison.Ordinal)
                    .Replace("cloudwatch::ACCOUNT:", "cloudwatch::*:", StringComparison.Ordinal));
            }
    }

    [Fact]
    public void The_state_table_is_deploy_dynamodb_table_json_with_point_in_time_recovery_and_ttl()
    {
        var table = Deployed().Properties("StateTable");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "dynamodb-table.json")));
        var expected = json.RootElement;
        static string Keys(object? schema) => string.Join(",", List(schema).Cast<Dictionary<string, object>>().Select(k => $"{k["AttributeName"]}:{k["KeyType"]}"));
        static string JsonKeys(JsonElement schema) => string.Join(",", schema.EnumerateArray().Select(k => $"{k.GetProperty("AttributeName")}:{k.GetProperty("KeyType")}"));

        Assert.Equal(expected.GetProperty("TableName").GetString(), table["TableName"]);
        Assert.Equal(expected.GetProperty("BillingMode").GetString(), table["BillingMode"]);
        Assert.Equal(
            expected.GetProperty("AttributeDefinitions").EnumerateArray().Select(a => $"{a.GetProperty("AttributeName")}:{a.GetProperty("AttributeType")}"),
            List(table["AttributeDefinitions"]).Cast<Dictionary<string, object>>().Select(a => $"{a["AttributeName"]}:{a["AttributeType"]}"));
        Assert.Equal(JsonKeys(expected.GetProperty("KeySchema")), Keys(table["KeySchema"]));
        var gsi = expected.GetProperty("GlobalSecondaryIndexes")[0];
        var index = (Dictionary<string, object>)Assert.Single(List(table["GlobalSecondaryIndexes"]));
        Assert.Equal((DynamoDbTableDefinition.DueIndex, JsonKeys(gsi.GetProperty("KeySchema")), "ALL"),
            ((string)index["IndexName"], Keys(index["KeySchema"]), (string)At(index, "Projection.ProjectionType")!));
        Assert.Equal("true", At(table, "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"));
        Assert.Equal((DynamoDbTableDefinition.TtlAttribute, "true"), ((string)At(table, "TimeToLiveSpecification.AttributeName")!, (string)At(table, "TimeToLiveSpecification.Enabled")!));
        Assert.Equal("true", At(table, "SSESpecification.SSEEnabled"));
    }

    [Fact]
    public void Over_http_two_tasks_run_behind_an_https_load_balancer_that_checks_healthz_and_redirects_plain_http()
    {
        var template = Deployed("http");
        var service = template.Properties("Service");
        var https = template.Properties("HttpsListener");

        Assert.Equal("2", service["DesiredCount"]);
        Assert.Equal("FARGATE", service["LaunchType"]);
        Assert.Equal("{TargetGroup}", At(service, "LoadBalancers.0.TargetGroupArn"));
        Assert.Equal(("HTTPS", "443"), ((string)https["Protocol"], (string)https["Port"]));
        Assert.NotEmpty(Strings(At(https, "Certificates.0.CertificateArn")));
        Assert.Equal("/healthz", template.Properties("TargetGroup")["HealthCheckPath"]);
        Assert.Equal("HTTPS", At(template.Properties("HttpRedirectListener"), "DefaultActions.0.RedirectConfig.Protocol"));
        Assert.Equal("{LoadBalancerSecurityGroup}", template.Properties("TaskIngressFromLoadBalancer")["SourceSecurityGroupId"]);
        Assert.Equal(["Slack__BotToken", "Slack__SigningSecret", "PagerDuty__ApiToken", "PagerDuty__WebhookSecret"], SecretNames(template));
    }

    [Fact]
    public void In_socket_mode_there_is_no_load_balancer_and_nothing_can_connect_in()
    {
        var template = Deployed("socket-mode");

        Assert.DoesNotContain(template.Resources, r => ((string)r.Value["Type"]).StartsWith("AWS::ElasticLoadBalancingV2::", StringComparison.Ordinal));
        Assert.Empty(template.OfType("AWS::EC2::SecurityGroupIngress"));
        Assert.False(template.Properties("TaskSecurityGroup").ContainsKey("SecurityGroupIngress"));
        Assert.False(template.Properties("Service").ContainsKey("LoadBalancers"));
        Assert.Equal(["Slack__BotToken", "Slack__AppToken", "PagerDuty__ApiToken"], SecretNames(template));
    }

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(Stack))]
    public void Secrets_come_from_secrets_manager_and_are_never_plain_environment_values(string transport, string access)
    {
        var template = Deployed(transport, access);
        var container = Container(template);
        var plain = List(container["Environment"]).Cast<Dictionary<string, object>>().Select(e => (string)e["Name"]).ToList();
        var readable = Strings(At(template.Properties("ExecutionRole"), "Policies.0.PolicyDocument.Statement.0.Resource"));

        Assert.Empty(plain.Intersect(SecretSettings));
        Assert.All(List(container["Secrets"]).Cast<Dictionary<string, object>>(), s => Assert.Matches(@"^\{(SlackSecret|PagerDutySecret)\}:[a-zA-Z]+::$", (string)s["ValueFrom"]));
        Assert.Equal(["{SlackSecret}", "{PagerDutySecret}"], readable);
        Assert.Contains("Store__Provider", plain);
        Assert.Equal("{StateTable}", List(container["Environment"]).Cast<Dictionary<string, object>>().Single(e => (string)e["Name"] == "Store__DynamoDbTable")["Value"]);
    }

    [Fact]
    public void Without_pagerduty_no_pagerduty_secret_exists_or_is_injected()
    {
        var template = Deployed(pagerDuty: "false");

        Assert.DoesNotContain("PagerDutySecret", template.Resources.Keys);
        Assert.Equal(["Slack__BotToken", "Slack__SigningSecret"], SecretNames(template));
        Assert.DoesNotContain(List(Container(template)["Environment"]).Cast<Dictionary<string, object>>(), e => ((string)e["Name"]).StartsWith("PagerDuty__", StringComparison.Ordinal));
    }

    [Fact]
    public void The_container_logs_to_a_group_with_retention_and_probes_healthz_with_the_bot_itself()
    {
        var template = Deployed();
        var container = Container(template);

        Assert.Equal("90", template.Properties("LogGroup")["RetentionInDays"]);
        Assert.Equal("{LogGroup}", At(container, "LogConfiguration.Options.awslogs-group"));
        Assert.Equal(["CMD", "dotnet", "/app/Bot.dll", "probe", "http://127.0.0.1:8080/healthz"], Strings(At(container, "HealthCheck.Command")));
        Assert.Equal("{TaskRole.Arn}", template.Properties("TaskDefinition")["TaskRoleArn"]);
    }

    [Fact]
    public void A_slack_user_group_per_role_becomes_that_roles_setting_and_none_is_set_by_default()
    {
        var roles = typeof(Bot.Workflows.Roles.Role).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var groups = new Dictionary<string, string>
        {
            ["ApproverGroupId"] = "S0APPROVE", ["TechLeadGroupId"] = "S0TECH", ["OpsManagerGroupId"] = "S0OPSMGR",
            ["SecurityUserGroupId"] = "S0SEC", ["ResponderGroupId"] = "S0RESP", ["AdminGroupId"] = "S0ADMIN",
        };
        static List<string> RbacNames(CloudFormationTemplate t) => List(Container(t)["Environment"]).Cast<Dictionary<string, object>>()
            .Select(e => (string)e["Name"]).Where(n => n.StartsWith("Rbac__", StringComparison.Ordinal)).ToList();

        Assert.Equal(roles.Select(r => $"Rbac__Roles__{r}__Groups__0").Order(), RbacNames(Deployed(more: groups)).Order());
        Assert.Empty(RbacNames(Deployed()));
    }

    /// <summary>The settings that hold secrets (SlackOptions, PagerDutyOptions), by their environment names.</summary>
    private static readonly string[] SecretSettings = ["Slack__SigningSecret", "Slack__BotToken", "Slack__AppToken", "PagerDuty__ApiToken", "PagerDuty__WebhookSecret"];
}
