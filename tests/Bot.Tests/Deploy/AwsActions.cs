using Bot.Testing;
using Bot.Tests;
using System.Reflection;
using System.Text.Json;
using Bot.Integrations.Aws;

namespace Bot.Tests.Deploy;

/// <summary>An IAM action the bot's code can call, and whether it changes something (not granted to the read-only deployment).</summary>
public sealed record AwsAction(string Action, bool Changes);

/// <summary>
/// Every AWS action the code can call, derived from the code: each method of an interface marked
/// <see cref="AwsClientAttribute"/> that the bot's code calls (<see cref="IamActionAttribute"/> renames,
/// <see cref="ChangesAwsAttribute"/> marks changes, <see cref="AlsoNeedsIamAttribute"/> adds what AWS also checks, such as
/// the S3 writes of a table export; a client method nothing calls needs no permission); plus the state
/// table's actions, which <see cref="DynamoDbStorePermissionsTests"/> derives from a working store's calls.
/// </summary>
public static class AwsActions
{
    public const string StateTableSid = "BotStateTable";

    /// <summary>The bot's code: the host and the three libraries it is made of (not the sandbox, which never runs in AWS).</summary>
    private static readonly Lazy<IReadOnlySet<(Module, int)>> BotCalls = new(() =>
        CodeCalls.In(typeof(Program).Assembly, typeof(Bot.Commands.Routing.CommandRouter).Assembly, typeof(AwsClientAttribute).Assembly,
            typeof(Bot.Workflows.StoreOptions).Assembly));

    /// <summary>Client methods the bot's code calls.</summary>
    public static IEnumerable<MethodInfo> CalledClientMethods() => ClientMethods().Where(BotCalls.Value.Calls);

    /// <summary>Every method of every AWS client interface, called or not.</summary>
    public static IEnumerable<MethodInfo> ClientMethods() =>
        typeof(AwsClientAttribute).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.GetCustomAttribute<AwsClientAttribute>() is not null)
            .SelectMany(client => client.GetMethods());

    public static IReadOnlyList<AwsAction> CalledByClients() =>
        CalledClientMethods().SelectMany(m => AlsoNeeded(m).Prepend(Action(m))).Distinct().OrderBy(a => a.Action, StringComparer.Ordinal).ToList();

    /// <summary>The permissions an operation needs besides its own (<see cref="AlsoNeedsIamAttribute"/>), changing what it changes.</summary>
    public static IEnumerable<AwsAction> AlsoNeeded(MethodInfo method) =>
        method.GetCustomAttribute<AlsoNeedsIamAttribute>()?.Actions.Select(a => new AwsAction(a, Action(method).Changes)) ?? [];

    /// <summary>The IAM action a client method needs.</summary>
    public static AwsAction Action(MethodInfo method)
    {
        var name = method.GetCustomAttribute<IamActionAttribute>()?.Action
                   ?? (method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^5] : method.Name);
        return new AwsAction($"{method.DeclaringType!.GetCustomAttribute<AwsClientAttribute>()!.IamPrefix}:{name}", method.GetCustomAttribute<ChangesAwsAttribute>() is not null);
    }

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
