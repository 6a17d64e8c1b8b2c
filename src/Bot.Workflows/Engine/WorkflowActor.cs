namespace Bot.Workflows.Engine;

/// <summary>Who fires a trigger: a person (their chat user id and display name) or the bot itself.</summary>
public sealed record WorkflowActor(string UserId, string UserName)
{
    /// <summary>The bot acting on its own (timers, automatic steps).</summary>
    public static readonly WorkflowActor Bot = new("bot", "securebase-bot");

    /// <summary>How messages name the actor: a Slack mention for real users, <c>@name</c> otherwise.</summary>
    public string Mention => UserId.StartsWith('U') || UserId.StartsWith('W') ? $"<@{UserId}>" : $"@{UserName}";
}

/// <summary>
/// What travels with every trigger into the machine: who acts, when (from the engine's TimeProvider),
/// what a timer expects (e.g. <c>level:2</c>, so a late timer does nothing), the request it came from,
/// and optional arguments as JSON.
/// </summary>
public sealed record FireContext(
    WorkflowActor Actor,
    DateTimeOffset Now,
    string? Expectation = null,
    string? RequestId = null,
    string? ArgumentsJson = null);
