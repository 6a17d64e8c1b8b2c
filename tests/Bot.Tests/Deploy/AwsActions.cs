using System.Reflection;
using System.Text.Json;
using Bot.Commands.Aws;
using Bot.Testing;

namespace Bot.Tests.Deploy;

/// <summary>An IAM action the bot's code can call, and whether it changes something (not granted to the read-only deployment).</summary>
public sealed record AwsAction(string Action, bool Changes);

/// <summary>
/// Every AWS action the code can call, derived from the code: each interface marked <see cref="AwsClientAttribute"/>
/// and each of its methods (<see cref="IamActionAttribute"/> renames, <see cref="ChangesAwsAttribute"/> marks changes);
/// plus the state table's actions, which <see cref="DynamoDbStorePermissionsTests"/> derives from a working store's calls.
/// </summary>
public static class AwsActions
{
    public const string StateTableSid = "BotStateTable";

    public static IReadOnlyList<AwsAction> CalledByClients() =>
        typeof(AwsClientAttribute).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.GetCustomAttribute<AwsClientAttribute>() is not null)
            .SelectMany(client => client.GetMethods().Select(method =>
            {
                var name = method.GetCustomAttribute<IamActionAttribute>()?.Action
                           ?? (method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^5] : method.Name);
                return new AwsAction($"{client.GetCustomAttribute<AwsClientAttribute>()!.IamPrefix}:{name}", method.GetCustomAttribute<ChangesAwsAttribute>() is not null);
            }))
            .Distinct()
            .OrderBy(a => a.Action, StringComparer.Ordinal)
            .ToList();

    /// <summary>The actions deploy/iam-policy.json grants on the bot's own table.</summary>
    public static IReadOnlyList<string> StateTable() =>
        PolicyStatements().Single(s => s.Sid == StateTableSid).Actions;

    /// <summary>deploy/iam-policy.json's statements.</summary>
    public static IReadOnlyList<PolicyStatement> PolicyStatements()
    {
        using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "iam-policy.json")));
        static IReadOnlyList<string> Strings(JsonElement e) =>
            e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(a => a.GetString()!).ToList() : [e.GetString()!];
        return policy.RootElement.GetProperty("Statement").EnumerateArray()
            .Select(s => new PolicyStatement(s.GetProperty("Sid").GetString()!, s.GetProperty("Effect").GetString()!, Strings(s.GetProperty("Action")), Strings(s.GetProperty("Resource"))))
            .ToList();
    }
}

/// <summary>One IAM policy statement.</summary>
public sealed record PolicyStatement(string Sid, string Effect, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources);
