using System.Text.Json;
using Bot.Workflows.Activities;

namespace Bot.Workflows.Engine;

/// <summary>What kind of actor fires a trigger.</summary>
public enum ActorKind
{
    /// <summary>A person in Slack.</summary>
    Person,
    /// <summary>A person at the local shell: never counts as a production approval.</summary>
    ShellUser,
    /// <summary>The bot itself (timers, activity results, automatic steps).</summary>
    Bot,
    /// <summary>Another system speaking for someone (a PagerDuty webhook).</summary>
    External,
}

/// <summary>
/// Who fires a trigger: their chat user id, a display name, what kind of actor they are, and — for people — the
/// roles they hold at the moment of the decision (the engine resolves them through the directory; a caller
/// cannot grant them).
/// </summary>
public sealed record WorkflowActor(string UserId, string UserName, ActorKind Kind = ActorKind.Person)
{
    // Declared before Bot: static fields initialise in order, and Bot's Roles default to this set.
    private static readonly IReadOnlySet<string> EmptyRoles = new HashSet<string>();

    /// <summary>The bot acting on its own (timers, automatic steps).</summary>
    public static readonly WorkflowActor Bot = new("bot", "securebase-bot", ActorKind.Bot);

    /// <summary>Roles held when the trigger was fired; empty until the engine resolves them.</summary>
    public IReadOnlySet<string> Roles { get; init; } = EmptyRoles;

    /// <summary>A person (in Slack or at the shell), as opposed to the bot or another system.</summary>
    public bool IsPerson => Kind is ActorKind.Person or ActorKind.ShellUser;

    public bool Has(string role) => Roles.Contains(role);

    /// <summary>How plain text names the actor.</summary>
    public string Mention => "@" + UserName;

    public static WorkflowActor ShellUser(string userId, string userName) => new(userId, userName, ActorKind.ShellUser);
}

/// <summary>Where a trigger came from.</summary>
public enum TriggerSource
{
    /// <summary>A person: a button, a modal, a command.</summary>
    Person,
    /// <summary>A durable timer that came due.</summary>
    Timer,
    /// <summary>The result of an activity (a side effect that ran after an earlier transition).</summary>
    Activity,
    /// <summary>Another system (a PagerDuty webhook, a reconciler).</summary>
    External,
    /// <summary>The bot's own next step (e.g. starting a change that needs no approval).</summary>
    Automatic,
}

/// <summary>
/// What travels with every trigger into the machine: who acts, when (from the engine's TimeProvider), where the
/// trigger came from, what a timer expects (e.g. <c>level:2</c>, so a late timer does nothing), the request it
/// came from, optional arguments as JSON, and the result when an activity reports back.
/// </summary>
public sealed record FireContext(
    WorkflowActor Actor,
    DateTimeOffset Now,
    string? Expectation = null,
    string? RequestId = null,
    string? ArgumentsJson = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public TriggerSource Source { get; init; } = TriggerSource.Person;

    /// <summary>The activity's result when <see cref="Source"/> is <see cref="TriggerSource.Activity"/>.</summary>
    public ActivityOutcome? Activity { get; init; }

    /// <summary>The arguments as <typeparamref name="T"/> (a new one when there are none).</summary>
    public T Arguments<T>() where T : new() =>
        string.IsNullOrWhiteSpace(ArgumentsJson) ? new T() : JsonSerializer.Deserialize<T>(ArgumentsJson, Json) ?? new T();

    /// <summary>One string argument (e.g. <c>input</c>, the text a button asked for), or null.</summary>
    public string? Argument(string name)
    {
        if (string.IsNullOrWhiteSpace(ArgumentsJson)) return null;
        using var doc = JsonDocument.Parse(ArgumentsJson);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
    }
}
