using System.Reflection;
using System.Text.Json;
using Bot.Commands.Aws.CloudWatch;
using Bot.Commands.Aws.CostExplorer;
using Bot.Commands.Aws.DynamoDb;
using Bot.Commands.Aws.Lambda;
using Bot.Commands.Aws.Logs;
using Bot.Testing;

namespace Bot.Tests.Deploy;

/// <summary><c>deploy/iam-policy.json</c> grants every AWS call the bot can make, and nothing wholesale.</summary>
public sealed class IamPolicyTests
{
    private static readonly (Type Client, string IamPrefix)[] Clients =
    [
        (typeof(ILambdaClient), "lambda"),
        (typeof(ICloudWatchClient), "cloudwatch"),
        (typeof(ICloudWatchLogsClient), "logs"),
        (typeof(ICostExplorerClient), "ce"),
        (typeof(IDynamoDbTables), "dynamodb"),
    ];

    /// <summary>Client methods that are conveniences over another operation, and operations IAM names differently.</summary>
    private static readonly Dictionary<string, string> Composite = new()
    {
        ["FilterAllLogEvents"] = "FilterLogEvents",
        ["Invoke"] = "InvokeFunction",
    };

    private static IReadOnlyList<string> PolicyActions() => Statements().SelectMany(s => s.Actions).ToList();

    private static IReadOnlyList<(IReadOnlyList<string> Actions, IReadOnlyList<string> Resources)> Statements()
    {
        using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "iam-policy.json")));
        static IReadOnlyList<string> Strings(JsonElement e) =>
            e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(a => a.GetString()!).ToList() : [e.GetString()!];
        return policy.RootElement.GetProperty("Statement").EnumerateArray()
            .Select(s => (Strings(s.GetProperty("Action")), Strings(s.GetProperty("Resource"))))
            .ToList();
    }

    public static TheoryData<string> ClientOperations()
    {
        var actions = Clients.SelectMany(c => c.Client.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(method =>
        {
            var operation = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^5] : method.Name;
            return $"{c.IamPrefix}:{Composite.GetValueOrDefault(operation, operation)}";
        }));
        return [.. actions.Distinct()];
    }

    [Theory]
    [MemberData(nameof(ClientOperations))]
    public void Every_AWS_operation_the_clients_call_is_granted(string action) => Assert.Contains(action, PolicyActions());

    [Fact]
    public void Invoking_is_granted_on_staging_and_dev_functions_only_never_on_prod()
    {
        var resources = Statements().Where(s => s.Actions.Contains("lambda:InvokeFunction")).SelectMany(s => s.Resources).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Matches(@"^arn:aws:lambda:\*:\*:function:securebase-(staging|dev)-\*(:\*)?$", r));
    }

    [Fact]
    public void The_policy_grants_no_wildcard_actions() =>
        Assert.DoesNotContain(PolicyActions(), a => a.Contains('*', StringComparison.Ordinal));
}
