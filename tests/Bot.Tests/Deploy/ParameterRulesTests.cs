using Bot.Testing;
using Bot.Tests;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The template's <c>Rules</c>: a deploy that lacks what its transport (or PagerDuty) needs is refused by CloudFormation
/// before anything is created, with a message that names the parameter, instead of failing late in a half-made stack.
/// </summary>
public sealed class ParameterRulesTests
{
    [Theory]
    [InlineData("LoadBalancerSubnetIds")]
    [InlineData("HostName")]
    [InlineData("CertificateArn")]
    public void Over_http_a_deploy_without_load_balancer_subnets_a_host_name_or_a_certificate_is_refused_before_anything_is_created(string parameter)
    {
        var template = new CloudFormationTemplate(TemplatePath, Parameters("http", more: new() { [parameter] = "" }));

        var refusal = Assert.Single(template.RefusedBecause());
        Assert.StartsWith($"Transport=http needs {parameter}", refusal);
    }

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(Stack))]
    public void A_complete_deploy_passes_every_rule_and_socket_mode_needs_no_load_balancer_parameters(string transport, string access) =>
        Assert.Empty(Deployed(transport, access).RefusedBecause());

    [Fact]
    public void With_pagerduty_a_deploy_without_the_bots_pagerduty_user_is_refused()
    {
        var template = Deployed("socket-mode", more: new() { ["PagerDutyFromEmail"] = "" });

        Assert.StartsWith("UsePagerDuty=true needs PagerDutyFromEmail", Assert.Single(template.RefusedBecause()));
        Assert.Empty(Deployed("socket-mode", pagerDuty: "false").RefusedBecause());
    }

    [Fact]
    public void With_pagerduty_a_deploy_that_does_not_say_which_team_is_securebases_is_refused()
    {
        var template = Deployed("socket-mode", more: new() { ["PagerDutyTeamId"] = "" });

        Assert.StartsWith("UsePagerDuty=true needs PagerDutyTeamId", Assert.Single(template.RefusedBecause()));
    }
}
