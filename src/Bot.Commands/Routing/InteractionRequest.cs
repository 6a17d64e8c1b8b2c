namespace Bot.Commands.Routing;

/// <summary>A button click or modal submission, already authenticated by its transport.</summary>
public sealed record InteractionRequest
{
    /// <summary><c>block_actions</c>, <c>view_submission</c> or <c>message_action</c> (a message shortcut; Slack's payload <c>type</c>).</summary>
    public required string Type { get; init; }
    /// <summary>The <c>action_id</c> of the clicked element, or the view's or the shortcut's <c>callback_id</c>.</summary>
    public required string Id { get; init; }
    public string? Value { get; init; }
    public string? BlockId { get; init; }
    public required Actor User { get; init; }
    public string TeamId { get; init; } = "";
    public string? ChannelId { get; init; }
    /// <summary>The <c>ts</c> of the message that held the button.</summary>
    public string? MessageTs { get; init; }
    public string? ResponseUrl { get; init; }
    public string? TriggerId { get; init; }
    /// <summary>Modal inputs as <c>block_id.action_id</c> → value.</summary>
    public IReadOnlyDictionary<string, string?> ViewValues { get; init; } = new Dictionary<string, string?>();
    public string? PrivateMetadata { get; init; }
    /// <summary>Text typed with the click where the transport has no forms (the shell's <c>click N text…</c>).</summary>
    public string? InputText { get; init; }
    /// <summary>The message a message shortcut was used on (null for other interactions).</summary>
    public ShortcutMessage? Message { get; init; }
    public Transport Transport { get; init; } = Transport.Slack;
    /// <summary>Idempotency/audit id of the delivery (Slack: action_ts or view hash).</summary>
    public string RequestId { get; init; } = Guid.NewGuid().ToString("N");

    public const string BlockActions = "block_actions";
    public const string ViewSubmission = "view_submission";
    public const string MessageAction = "message_action";
}

/// <summary>
/// The message a shortcut was used on, as Slack sent it: its <c>ts</c>, the <c>thread_ts</c> of the thread it is in (null
/// outside a thread), its text as plain text (mentions as @name, links as "label (url)": the transport reads the markup) and who wrote it (a user
/// id, or null for a bot's message).
/// </summary>
public sealed record ShortcutMessage(string Ts, string? ThreadTs, string Text, string? AuthorId);

/// <summary>Handles the interactions whose ids it owns (its <c>action_id</c> / <c>callback_id</c> constants).</summary>
public interface IInteractionHandler
{
    IReadOnlyCollection<string> Ids { get; }
    Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken);
}
