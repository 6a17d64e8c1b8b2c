using Bot.Testing;
using Bot.Tests;
using System.Text.RegularExpressions;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// What the stack's network and roles allow beyond the task role's policy: the load balancer reaches only the tasks'
/// port, the tasks only HTTPS, and only ECS tasks of this account may take the roles.
/// </summary>
public sealed class LeastPrivilegeTests
{
    private static string Rule(Dictionary<string, object> rule) =>
        $"{rule["IpProtocol"]} {rule["FromPort"]}-{rule["ToPort"]} to {rule.GetValueOrDefault("DestinationSecurityGroupId") ?? rule.GetValueOrDefault("CidrIp")}";

    [Fact]
    public void The_load_balancer_may_reach_only_the_tasks_port_and_keeps_no_allow_all_egress()
    {
        var template = Deployed("http");

        var inline = Maps(template.Properties("LoadBalancerSecurityGroup").GetValueOrDefault("SecurityGroupEgress"));
        var separate = template.OfType("AWS::EC2::SecurityGroupEgress").Select(e => Properties(e.Value)).Where(e => (string)e["GroupId"] == "{LoadBalancerSecurityGroup}");

        // Declaring SecurityGroupEgress on the group is what removes EC2's default allow-all rule; the one declared
        // there matches no traffic (ICMP type 252, code 86, to the broadcast address only).
        Assert.Equal(["icmp 252-86 to 255.255.255.255/32"], inline.Select(Rule));
        Assert.Equal(["tcp 8080-8080 to {TaskSecurityGroup}"], separate.Select(Rule));
    }

    [Theory]
    [MemberData(nameof(Transports), MemberType = typeof(Stack))]
    public void The_tasks_may_reach_only_https(string transport)
    {
        var egress = Maps(Deployed(transport).Properties("TaskSecurityGroup")["SecurityGroupEgress"]).Select(Rule);

        // Slack, PagerDuty and the AWS APIs are all HTTPS; the VPC resolver and the task metadata endpoint are not filtered.
        Assert.Equal(["tcp 443-443 to 0.0.0.0/0"], egress);
    }

    [Theory]
    [MemberData(nameof(Transports), MemberType = typeof(Stack))]
    public void Only_ecs_tasks_of_this_account_may_take_the_roles(string transport)
    {
        var roles = Deployed(transport).OfType("AWS::IAM::Role").ToList();

        Assert.Equal(["ExecutionRole", "TaskRole"], roles.Select(r => r.Key).Order());
        Assert.All(roles, role =>
        {
            var trust = (Dictionary<string, object>)Assert.Single(List(At(Properties(role.Value), "AssumeRolePolicyDocument.Statement")));
            Assert.Equal(("ecs-tasks.amazonaws.com", "sts:AssumeRole"), ((string)At(trust, "Principal.Service")!, (string)trust["Action"]));
            Assert.Equal("ACCOUNT", At(trust, "Condition.StringEquals.aws:SourceAccount"));
            // The task role also names the source (this account's ECS resources in this region).
            Assert.Equal(role.Key == "TaskRole" ? "arn:aws:ecs:REGION:ACCOUNT:*" : null, At(trust, "Condition.ArnLike.aws:SourceArn"));
        });
    }

    [Theory]
    [MemberData(nameof(Transports), MemberType = typeof(Stack))]
    public void The_root_filesystem_is_read_only_and_only_tmp_on_the_tasks_own_storage_is_writable(string transport)
    {
        var template = Deployed(transport);
        var container = Container(template);
        var volume = Assert.Single(Maps(template.Properties("TaskDefinition")["Volumes"]));
        var mount = Assert.Single(Maps(container["MountPoints"]));
        var dockerfile = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "Dockerfile"));

        Assert.Equal("true", container["ReadonlyRootFilesystem"]);
        // A volume with no host (and no EFS or Docker volume configuration) is the task's Fargate ephemeral storage.
        Assert.Equal(["Name"], volume.Keys);
        Assert.Equal((volume["Name"], "/tmp"), (mount["SourceVolume"], mount["ContainerPath"]));
        Assert.NotEqual("true", mount.GetValueOrDefault("ReadOnly"));
        // Temporary files, the runtime's diagnostics socket, and whatever goes under the user's home (fontconfig's
        // cache for the cost charts, the local data folder) all land there.
        Assert.Equal("/tmp", EnvironmentValue(template, "TMPDIR"));
        Assert.Equal("/tmp", EnvironmentValue(template, "HOME"));
        // Fargate gives the volume the owner and mode the image's /tmp has: the image makes it the bot's and declares it.
        Assert.Matches(new Regex(@"^RUN chown ""\$APP_UID"" /tmp && chmod 1777 /tmp$", RegexOptions.Multiline), dockerfile);
        Assert.Matches(new Regex(@"^VOLUME \[""/tmp""\]$", RegexOptions.Multiline), dockerfile);
    }
}
