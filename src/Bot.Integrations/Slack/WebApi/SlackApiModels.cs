using System.Text.Json.Serialization;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Integrations.Slack.WebApi;

/// <summary>The envelope every Web API answer shares.</summary>
public class SlackResponse
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("response_metadata")] public ResponseMetadata? ResponseMetadata { get; init; }
}

public sealed class ResponseMetadata
{
    /// <summary>Details Slack adds to some errors (e.g. which block is invalid).</summary>
    [JsonPropertyName("messages")] public IReadOnlyList<string>? Messages { get; init; }
}

public sealed record PostEphemeralRequest
{
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("user")] public required string User { get; init; }
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("blocks")] public System.Text.Json.JsonElement? Blocks { get; init; }
    [JsonPropertyName("thread_ts")] public string? ThreadTs { get; init; }
}

public sealed class PostMessageResponse : SlackResponse
{
    [JsonPropertyName("channel")] public string? Channel { get; init; }
    [JsonPropertyName("ts")] public string? Ts { get; init; }
}

public sealed class PostEphemeralResponse : SlackResponse
{
    [JsonPropertyName("message_ts")] public string? MessageTs { get; init; }
}

public sealed record OpenViewRequest
{
    [JsonPropertyName("trigger_id")] public required string TriggerId { get; init; }
    [JsonPropertyName("view")] public required ModalView View { get; init; }
}

public sealed record UpdateViewRequest
{
    [JsonPropertyName("view_id")] public required string ViewId { get; init; }
    [JsonPropertyName("hash")] public string? Hash { get; init; }
    [JsonPropertyName("view")] public required ModalView View { get; init; }
}

public sealed record PublishViewRequest
{
    [JsonPropertyName("user_id")] public required string UserId { get; init; }
    [JsonPropertyName("view")] public required HomeView View { get; init; }
}

public sealed class AuthTestResponse : SlackResponse
{
    [JsonPropertyName("team")] public string? Team { get; init; }
    [JsonPropertyName("team_id")] public string? TeamId { get; init; }
    [JsonPropertyName("user_id")] public string? UserId { get; init; }
    [JsonPropertyName("bot_id")] public string? BotId { get; init; }
}

public sealed class ViewResponse : SlackResponse
{
    [JsonPropertyName("view")] public ViewInfo? View { get; init; }
}

public sealed class ViewInfo
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("hash")] public string? Hash { get; init; }
}

public sealed record OpenConversationRequest
{
    [JsonPropertyName("users")] public required string Users { get; init; }
}

public sealed class OpenConversationResponse : SlackResponse
{
    [JsonPropertyName("channel")] public OpenedConversation? Channel { get; init; }
}

public sealed class OpenedConversation
{
    [JsonPropertyName("id")] public string? Id { get; init; }
}

public sealed class UserInfoResponse : SlackResponse
{
    [JsonPropertyName("user")] public SlackUser? User { get; init; }
}

public sealed class SlackUser
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("real_name")] public string? RealName { get; init; }
    [JsonPropertyName("tz")] public string? TimeZone { get; init; }
    [JsonPropertyName("is_bot")] public bool IsBot { get; init; }
    [JsonPropertyName("deleted")] public bool Deleted { get; init; }
    [JsonPropertyName("profile")] public SlackUserProfile? Profile { get; init; }
}

public sealed class SlackUserProfile
{
    /// <summary>Present only with the <c>users:read.email</c> scope.</summary>
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("display_name")] public string? DisplayName { get; init; }
}

public sealed class UserGroupUsersResponse : SlackResponse
{
    [JsonPropertyName("users")] public IReadOnlyList<string>? Users { get; init; }
}

public sealed class UploadUrlResponse : SlackResponse
{
    [JsonPropertyName("upload_url")] public string? UploadUrl { get; init; }
    [JsonPropertyName("file_id")] public string? FileId { get; init; }
}

public sealed class CompleteUploadResponse : SlackResponse
{
    [JsonPropertyName("files")] public IReadOnlyList<UploadedFile>? Files { get; init; }
}

public sealed class UploadedFile
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
}

/// <summary><c>chat.postMessage</c> with blocks as JSON (after they were fitted to Slack's limits).</summary>
public sealed record PostMessageJsonRequest
{
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("blocks")] public System.Text.Json.JsonElement? Blocks { get; init; }
    [JsonPropertyName("thread_ts")] public string? ThreadTs { get; init; }
    /// <summary>Also show a thread reply in the channel.</summary>
    [JsonPropertyName("reply_broadcast")] public bool? ReplyBroadcast { get; init; }
    /// <summary>Slack message metadata: the outbox tags its posts with their delivery id.</summary>
    [JsonPropertyName("metadata")] public MessageMetadata? Metadata { get; init; }
}

/// <summary>Slack message metadata (<c>event_type</c> and a small JSON object), returned by history reads with <c>include_all_metadata</c>.</summary>
public sealed record MessageMetadata
{
    [JsonPropertyName("event_type")] public required string EventType { get; init; }
    [JsonPropertyName("event_payload")] public required Dictionary<string, string> EventPayload { get; init; }
}

/// <summary><c>conversations.history</c> / <c>conversations.replies</c>: messages, newest first (history).</summary>
public sealed class HistoryResponse : SlackResponse
{
    [JsonPropertyName("messages")] public List<HistoryMessage>? Messages { get; init; }
    [JsonPropertyName("has_more")] public bool HasMore { get; init; }
}

public sealed class HistoryMessage
{
    [JsonPropertyName("ts")] public string? Ts { get; init; }
    [JsonPropertyName("metadata")] public MessageMetadata? Metadata { get; init; }
}

/// <summary><c>chat.update</c> with blocks passed through as JSON.</summary>
public sealed record UpdateMessageJsonRequest
{
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("ts")] public required string Ts { get; init; }
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("blocks")] public System.Text.Json.JsonElement? Blocks { get; init; }
}

public sealed class ConnectionsOpenResponse : SlackResponse
{
    [JsonPropertyName("url")] public string? Url { get; init; }
}
