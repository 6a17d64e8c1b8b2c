using Bot.Testing;
using Bot.Tests;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The stack's alarms: what they watch in each transport, and that each one reaches the alarm topic when it fires and
/// when it clears (deploy/README.md, "Verify the deploy").
/// </summary>
public sealed class AlarmTests
{
    private static Dictionary<string, Dictionary<string, object>> Alarms(CloudFormationTemplate template) =>
        template.OfType("AWS::CloudWatch::Alarm").ToDictionary(a => (string)Properties(a.Value)["AlarmName"], a => Properties(a.Value));

    /// <summary>Namespace/MetricName of each metric an alarm reads (directly, or in its metric math).</summary>
    private static List<string> MetricsOf(Dictionary<string, object> alarm) => alarm.TryGetValue("MetricName", out var name)
        ? [$"{alarm["Namespace"]}/{name}"]
        : Maps(alarm["Metrics"]).Where(m => m.ContainsKey("MetricStat")).Select(m => $"{At(m, "MetricStat.Metric.Namespace")}/{At(m, "MetricStat.Metric.MetricName")}").Distinct().ToList();

    private static Dictionary<string, string> Dimensions(object? dimensions) => Maps(dimensions).ToDictionary(d => (string)d["Name"], d => (string)d["Value"]);

    [Theory]
    [MemberData(nameof(Transports), MemberType = typeof(Stack))]
    public void The_alarms_watch_the_tasks_the_table_and_the_bots_own_lines_and_over_http_the_load_balancer(string transport)
    {
        var alarms = Alarms(Deployed(transport));
        string[] always =
        [
            "securebase-ops-bot-dead-letters", "securebase-ops-bot-outbox-backlog-age", "securebase-ops-bot-readiness",
            "securebase-ops-bot-state-table-throttles", "securebase-ops-bot-tasks-below-desired",
        ];
        string[] http = ["securebase-ops-bot-load-balancer-5xx", "securebase-ops-bot-target-5xx", "securebase-ops-bot-unhealthy-hosts"];

        Assert.Equal((transport == "http" ? always.Concat(http) : always).Order(StringComparer.Ordinal), alarms.Keys.Order(StringComparer.Ordinal));
        if (transport == "http")
        {
            Assert.Equal(["AWS/ApplicationELB/UnHealthyHostCount"], MetricsOf(alarms["securebase-ops-bot-unhealthy-hosts"]));
            Assert.Equal(["AWS/ApplicationELB/HTTPCode_ELB_5XX_Count"], MetricsOf(alarms["securebase-ops-bot-load-balancer-5xx"]));
            Assert.Equal(["AWS/ApplicationELB/HTTPCode_Target_5XX_Count"], MetricsOf(alarms["securebase-ops-bot-target-5xx"]));
        }
    }

    [Theory]
    [MemberData(nameof(Transports), MemberType = typeof(Stack))]
    public void Every_alarm_tells_the_alarm_topic_when_it_fires_and_when_it_clears(string transport) =>
        Assert.All(Alarms(Deployed(transport)).Values, alarm =>
        {
            Assert.Equal(["{AlarmTopic}"], Strings(alarm["AlarmActions"]));
            Assert.Equal(["{AlarmTopic}"], Strings(alarm["OKActions"]));
            // Most of these metrics exist only when something happens: no data is no trouble.
            Assert.Equal("notBreaching", alarm["TreatMissingData"]);
        });

    [Fact]
    public void Tasks_below_desired_compares_this_services_running_and_desired_task_counts_from_container_insights()
    {
        var template = Deployed("socket-mode");
        var alarm = Alarms(template)["securebase-ops-bot-tasks-below-desired"];
        var metrics = Maps(alarm["Metrics"]);

        Assert.Contains(Maps(template.Properties("Cluster")["ClusterSettings"]), s => (string)s["Name"] == "containerInsights" && (string)s["Value"] == "enabled");
        Assert.Equal(["ECS/ContainerInsights/DesiredTaskCount", "ECS/ContainerInsights/RunningTaskCount"], MetricsOf(alarm).Order(StringComparer.Ordinal));
        Assert.All(metrics.Where(m => m.ContainsKey("MetricStat")), m =>
            Assert.Equal(new Dictionary<string, string> { ["ClusterName"] = "{Cluster}", ["ServiceName"] = "{Service.Name}" }, Dimensions(At(m, "MetricStat.Metric.Dimensions"))));
        Assert.Equal("desired - running", metrics.Single(m => (string)m["ReturnData"] == "true")["Expression"]);
        Assert.Equal(("GreaterThanThreshold", "0"), ((string)alarm["ComparisonOperator"], (string)alarm["Threshold"]));
    }

    [Fact]
    public void Table_throttles_cover_every_data_operation_the_store_makes_on_the_state_table()
    {
        var alarm = Alarms(Deployed())["securebase-ops-bot-state-table-throttles"];
        var throttled = Maps(alarm["Metrics"]).Where(m => m.ContainsKey("MetricStat")).Select(m => Dimensions(At(m, "MetricStat.Metric.Dimensions"))).ToList();
        // The table's IAM actions (a transaction is granted through the writes and condition checks it carries), without the control
        // plane; a condition check is only ever part of a transaction, not an operation of its own.
        var operations = AwsActions.StateTable().Select(a => a.Split(':')[1]).Where(a => a is not "DescribeTable" and not "ConditionCheckItem").Append("TransactWriteItems");

        Assert.Equal(["AWS/DynamoDB/ThrottledRequests"], MetricsOf(alarm));
        Assert.All(throttled, d => Assert.Equal("{StateTable}", d["TableName"]));
        Assert.Equal(operations.Order(StringComparer.Ordinal), throttled.Select(d => d["Operation"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_alarm_on_the_bots_lines_reads_a_metric_a_log_filter_publishes()
    {
        var template = Deployed();
        var published = template.OfType("AWS::Logs::MetricFilter")
            .Select(f => (Dictionary<string, object>)List(Properties(f.Value)["MetricTransformations"])[0])
            .Select(t => $"{t["MetricNamespace"]}/{t["MetricName"]}").ToHashSet();
        var fromLines = Alarms(template).Values.SelectMany(MetricsOf).Where(m => m.StartsWith("SecureBase/OpsBot/", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, fromLines.Count);
        Assert.All(fromLines, metric => Assert.Contains(metric, published));
    }

    [Fact]
    public void The_alarm_topic_sends_to_the_endpoint_given_and_has_no_subscription_without_one()
    {
        var subscribed = Deployed(more: new() { ["AlarmSubscriptionEndpoint"] = "ops@example.com" });
        var subscription = Properties(Assert.Single(subscribed.OfType("AWS::SNS::Subscription")).Value);

        Assert.Equal(("{AlarmTopic}", "email", "ops@example.com"), ((string)subscription["TopicArn"], (string)subscription["Protocol"], (string)subscription["Endpoint"]));
        Assert.Empty(Deployed().OfType("AWS::SNS::Subscription"));
        Assert.Single(Deployed().OfType("AWS::SNS::Topic"));
    }
}
