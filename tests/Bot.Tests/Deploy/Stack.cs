using Bot.Testing;
using Bot.Tests;
using static Bot.Tests.Deploy.CloudFormationTemplate;

namespace Bot.Tests.Deploy;

/// <summary>deploy/aws/securebase-ops-bot.yml as deployed with a test's parameters, and the parts the tests read.</summary>
public static class Stack
{
    public static readonly string TemplatePath = Path.Combine(Fixtures.RepositoryRoot, "deploy", "aws", "securebase-ops-bot.yml");

    /// <summary>The parameters every deployment gives (deploy/README.md step 3), then <paramref name="more"/>.</summary>
    public static Dictionary<string, string> Parameters(string transport = "http", string access = "full", string pagerDuty = "true", Dictionary<string, string>? more = null)
    {
        var parameters = new Dictionary<string, string>
        {
            ["ImageUri"] = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/securebase-ops-bot:1.0.0",
            ["Transport"] = transport,
            ["Access"] = access,
            ["UsePagerDuty"] = pagerDuty,
            ["PagerDutyFromEmail"] = pagerDuty == "true" ? "ops-bot@example.com" : "",
            ["PagerDutyTeamId"] = pagerDuty == "true" ? "PSBTEAM" : "",
            ["TaskSubnetIds"] = "subnet-a,subnet-b",
            ["SlackOpsChannelId"] = "C0OPS",
            ["SlackTeamId"] = "T0TEAM",
        };
        if (transport == "http")
        {
            parameters["LoadBalancerSubnetIds"] = "subnet-pa,subnet-pb";
            parameters["HostName"] = "sb-bot.example.com";
            parameters["CertificateArn"] = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
        }
        foreach (var (name, value) in more ?? []) parameters[name] = value;
        return parameters;
    }

    public static CloudFormationTemplate Deployed(string transport = "http", string access = "full", string pagerDuty = "true", Dictionary<string, string>? more = null) =>
        new(TemplatePath, Parameters(transport, access, pagerDuty, more));

    public static TheoryData<string, string> Variants() => new()
    {
        { "http", "full" }, { "http", "read-only" }, { "socket-mode", "full" }, { "socket-mode", "read-only" },
    };

    public static TheoryData<string> Transports() => ["http", "socket-mode"];

    public static List<string> Strings(object? value) => List(value).Cast<string>().ToList();

    public static List<Dictionary<string, object>> Maps(object? value) => List(value).Cast<Dictionary<string, object>>().ToList();

    public static Dictionary<string, object> Container(CloudFormationTemplate template) =>
        (Dictionary<string, object>)List(template.Properties("TaskDefinition")["ContainerDefinitions"])[0];

    public static List<string> SecretNames(CloudFormationTemplate template) =>
        Maps(Container(template)["Secrets"]).Select(s => (string)s["Name"]).ToList();

    public static List<string> EnvironmentNames(CloudFormationTemplate template) =>
        Maps(Container(template)["Environment"]).Select(e => (string)e["Name"]).ToList();

    public static string? EnvironmentValue(CloudFormationTemplate template, string name) =>
        Maps(Container(template)["Environment"]).SingleOrDefault(e => (string)e["Name"] == name)?["Value"] as string;
}
