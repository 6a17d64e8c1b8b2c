using Bot.Testing;
using Bot.Tests;
using Bot.PagerDuty;
using Bot.Slack;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The HTTPS load balancer (Transport=http) forwards only what Slack and PagerDuty send to the routes the bot maps, and
/// checks the tasks on a probe that a store outage does not fail.
/// </summary>
public sealed class LoadBalancerTests
{
    private static List<Dictionary<string, object>> Rules(CloudFormationTemplate template) =>
        template.OfType("AWS::ElasticLoadBalancingV2::ListenerRule").Select(r => CloudFormationTemplate.Properties(r.Value)).ToList();

    private static List<string> ForwardedPaths(CloudFormationTemplate template) =>
        Rules(template).SelectMany(r => Maps(r["Conditions"]).Where(c => (string)c["Field"] == "path-pattern").SelectMany(c => Strings(At(c, "PathPatternConfig.Values")))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Only_slack_requests_and_pagerduty_webhooks_are_forwarded_and_every_other_path_gets_a_404()
    {
        var template = Deployed("http");
        var fallback = (Dictionary<string, object>)Assert.Single(List(template.Properties("HttpsListener")["DefaultActions"]));

        Assert.Equal(("fixed-response", "404"), ((string)fallback["Type"], (string)At(fallback, "FixedResponseConfig.StatusCode")!));
        Assert.Equal([PagerDutyRoutes.Webhooks, SlackRoutes.Prefix + "/*"], ForwardedPaths(template));
        Assert.All(Rules(template), rule =>
        {
            Assert.Equal("{HttpsListener}", rule["ListenerArn"]);
            var action = (Dictionary<string, object>)Assert.Single(List(rule["Actions"]));
            Assert.Equal(("forward", "{TargetGroup}"), ((string)action["Type"], (string)action["TargetGroupArn"]));
            // Slack and PagerDuty only ever POST; the bot maps nothing else under these paths.
            Assert.Equal(["POST"], Strings(At(Maps(rule["Conditions"]).Single(c => (string)c["Field"] == "http-request-method"), "HttpRequestMethodConfig.Values")));
        });
        Assert.DoesNotContain(ForwardedPaths(template), p => p.Contains("readyz", StringComparison.Ordinal) || p.Contains("healthz", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_pagerduty_only_slack_requests_are_forwarded() =>
        Assert.Equal([SlackRoutes.Prefix + "/*"], ForwardedPaths(Deployed("http", pagerDuty: "false")));

    [Fact]
    public void The_load_balancer_checks_healthz_so_a_store_outage_does_not_get_healthy_tasks_replaced()
    {
        var targets = Deployed("http").Properties("TargetGroup");

        Assert.Equal("/healthz", targets["HealthCheckPath"]);
        Assert.Equal("HTTP", targets["HealthCheckProtocol"]);
    }
}
