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

    /// <summary>Client methods that are conveniences over another operation.</summary>
    private static readonly Dictionary<string, string> Composite = new() { ["FilterAllLogEvents"] = "FilterLogEvents" };

    private static IReadOnlyList<string> PolicyActions()
    {
        using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "iam-policy.json")));
        return policy.RootElement.GetProperty("Statement").EnumerateArray()
            .SelectMany(s => s.GetProperty("Action").ValueKind == JsonValueKind.Array
                ? s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)
                : [s.GetProperty("Action").GetString()!])
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
    public void The_policy_grants_no_wildcard_actions() =>
        Assert.DoesNotContain(PolicyActions(), a => a.Contains('*', StringComparison.Ordinal));
}
