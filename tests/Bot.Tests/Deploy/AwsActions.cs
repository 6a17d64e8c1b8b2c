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

    /// <summary>
    /// The actions the called client methods need, once each: an action a read-only call needs is a read even when a
    /// change needs it too (registering an auto scaling target also reads the table).
    /// </summary>
    public static IReadOnlyList<AwsAction> CalledByClients() =>
        CalledClientMethods().SelectMany(m => AlsoNeeded(m).Concat(Actions(m)))
            .GroupBy(a => a.Action, StringComparer.Ordinal)
            .Select(g => new AwsAction(g.Key, g.All(a => a.Changes)))
            .OrderBy(a => a.Action, StringComparer.Ordinal).ToList();

    /// <summary>The permissions an operation needs besides its own (<see cref="AlsoNeedsIamAttribute"/>), changing what it changes.</summary>
    public static IEnumerable<AwsAction> AlsoNeeded(MethodInfo method) =>
        method.GetCustomAttribute<AlsoNeedsIamAttribute>()?.Actions.Select(a => new AwsAction(a, method.GetCustomAttribute<ChangesAwsAttribute>() is not null)) ?? [];

    /// <summary>
    /// The IAM actions a client method needs: its own name under the client's prefix, or the actions its
    /// <see cref="IamActionAttribute"/>s name (a full <c>service:Action</c>, or a name under the client's prefix).
    /// </summary>
    public static IReadOnlyList<AwsAction> Actions(MethodInfo method)
    {
        var prefix = method.DeclaringType!.GetCustomAttribute<AwsClientAttribute>()!.IamPrefix;
        var changes = method.GetCustomAttribute<ChangesAwsAttribute>() is not null;
        var named = method.GetCustomAttributes<IamActionAttribute>().Select(a => a.Action).ToList();
        if (named.Count == 0) named.Add(method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^5] : method.Name);
        return named.Select(n => new AwsAction(n.Contains(':', StringComparison.Ordinal) ? n : $"{prefix}:{n}", changes)).ToList();
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
