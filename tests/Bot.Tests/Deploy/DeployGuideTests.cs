using Bot.Testing;
using Bot.Tests;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>deploy/README.md, read as someone following it would: what it tells you to type matches the stack, the image and the Slack app.</summary>
public sealed partial class DeployGuideTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "README.md"));

    [GeneratedRegex(@"--parameter-overrides(?<args>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ParameterOverrides();

    [Fact]
    public void Every_parameter_the_guide_passes_is_one_the_template_declares()
    {
        var passed = ParameterOverrides().Matches(Guide).SelectMany(m => Regex.Matches(m.Groups["args"].Value, @"(?<=\s)([A-Za-z]+)=").Select(p => p.Groups[1].Value)).Distinct().ToList();
        var inline = Regex.Matches(Guide, @"`([A-Z][A-Za-z]+)=[^`]*`").Select(m => m.Groups[1].Value).Where(n => !n.Contains("__", StringComparison.Ordinal)).Distinct();
        var declared = Deployed().ParameterNames.ToHashSet();

        Assert.Contains("SecurityUserGroupId", passed);
        Assert.All(passed.Concat(inline), name => Assert.Contains(name, declared));
    }

    [Fact]
    public void The_guide_invites_the_bot_by_the_display_name_both_manifests_give_it()
    {
        var invited = Assert.Single(Regex.Matches(Guide, @"`#securebase-ops` type `/invite @(\w+)`").Select(m => m.Groups[1].Value).Distinct());

        foreach (var manifest in new[] { "slack-app-manifest.yml", "slack-app-manifest.socket-mode.yml" })
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(Path.Combine(Fixtures.RepositoryRoot, "deploy", manifest))) yaml.Load(reader);
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            Assert.Equal(invited, ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)root["features"])["bot_user"])["display_name"]).Value);
        }
    }

    [Fact]
    public void The_guide_builds_the_image_for_the_cpu_the_tasks_run_on()
    {
        var architecture = (string)At(Deployed().Properties("TaskDefinition"), "RuntimePlatform.CpuArchitecture")!;
        var build = Assert.Single(Regex.Matches(Guide, @"^docker build .*$", RegexOptions.Multiline));

        Assert.Equal("X86_64", architecture);
        Assert.Contains("--platform linux/amd64 ", build.Value);
    }

    [Fact]
    public void The_guide_lists_every_alarm_the_stack_makes_and_no_other()
    {
        var listed = Regex.Matches(Guide, @"^\| `([a-z0-9-]+)`", RegexOptions.Multiline).Select(m => "securebase-ops-bot-" + m.Groups[1].Value).Order(StringComparer.Ordinal);
        var made = Deployed("http").OfType("AWS::CloudWatch::Alarm").Select(a => (string)Properties(a.Value)["AlarmName"]).Order(StringComparer.Ordinal);

        Assert.Equal(made, listed);
    }
}
