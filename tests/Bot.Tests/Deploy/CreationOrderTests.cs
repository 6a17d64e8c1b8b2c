using Bot.Testing;
using Bot.Tests;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The order CloudFormation creates the stack in, read from the template's dependency graph (<c>DependsOn</c> and the
/// references between resources): a first create must not fail because a resource came too early.
/// </summary>
public sealed class CreationOrderTests
{
    [Fact]
    public void The_service_is_created_after_the_https_listener_and_its_rules()
    {
        var template = Deployed("http");
        var listenerAndRules = template.OfType("AWS::ElasticLoadBalancingV2::Listener").Select(l => l.Key)
            .Concat(template.OfType("AWS::ElasticLoadBalancingV2::ListenerRule").Select(r => r.Key))
            .Where(name => name == "HttpsListener" || template.DirectDependencies(name).Contains("HttpsListener"))
            .ToList();

        // Otherwise CreateService can run before the target group belongs to a load balancer, and fails.
        Assert.Contains("HttpsListener", listenerAndRules);
        Assert.All(listenerAndRules, name => Assert.Contains(name, template.AllDependencies("Service")));
    }

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(Stack))]
    public void Every_resource_waits_only_for_resources_that_exist_in_that_deployment(string transport, string access)
    {
        var template = Deployed(transport, access);

        // A DependsOn (or a reference) to a resource whose condition left it out fails the whole template.
        Assert.All(template.Resources.Keys, name => Assert.All(template.DirectDependencies(name), dependency => Assert.Contains(dependency, template.Resources.Keys)));
    }

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(Stack))]
    public void No_resource_waits_for_itself(string transport, string access)
    {
        var template = Deployed(transport, access);

        Assert.All(template.Resources.Keys, name => Assert.DoesNotContain(name, template.AllDependencies(name)));
    }
}
