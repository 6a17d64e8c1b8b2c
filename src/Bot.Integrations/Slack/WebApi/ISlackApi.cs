using Refit;

namespace Bot.Integrations.Slack.WebApi;

/// <summary>
/// The Slack Web API methods the bot uses, as a Refit interface. Use <see cref="SlackWebApiClient"/>
/// rather than this directly: it turns <c>{"ok":false}</c>, 429s and 5xx into exceptions that carry
/// the Slack error code.
/// </summary>
public interface ISlackApi
{
    [Post("/chat.postMessage")]
    Task<IApiResponse<PostMessageResponse>> PostMessageJsonAsync([Body] PostMessageJsonRequest request, CancellationToken cancellationToken);

    [Post("/chat.update")]
    Task<IApiResponse<PostMessageResponse>> UpdateMessageJsonAsync([Body] UpdateMessageJsonRequest request, CancellationToken cancellationToken);

    [Post("/chat.postEphemeral")]
    Task<IApiResponse<PostEphemeralResponse>> PostEphemeralAsync([Body] PostEphemeralRequest request, CancellationToken cancellationToken);

    [Post("/views.open")]
    Task<IApiResponse<ViewResponse>> OpenViewAsync([Body] OpenViewRequest request, CancellationToken cancellationToken);

    [Post("/views.update")]
    Task<IApiResponse<ViewResponse>> UpdateViewAsync([Body] UpdateViewRequest request, CancellationToken cancellationToken);

    /// <summary>An App Home tab for one user. Needs no scope; the app must have its Home tab enabled.</summary>
    [Post("/views.publish")]
    Task<IApiResponse<ViewResponse>> PublishViewAsync([Body] PublishViewRequest request, CancellationToken cancellationToken);

    /// <summary>Who the bot token belongs to: a connectivity check (<c>/sb status</c>) that needs no scope.</summary>
    [Post("/auth.test")]
    Task<IApiResponse<AuthTestResponse>> AuthTestAsync(CancellationToken cancellationToken);
    /// <summary>The bot's direct-message conversation with a user (its <c>D…</c> id, which the history needs: a user id is no conversation).</summary>
    [Post("/conversations.open")]
    Task<IApiResponse<OpenConversationResponse>> OpenConversationAsync([Body] OpenConversationRequest request, CancellationToken cancellationToken);

    /// <summary>A channel's messages, newest first, from <paramref name="oldest"/> on, with their metadata.</summary>
    [Get("/conversations.history")]
    Task<IApiResponse<HistoryResponse>> HistoryAsync([AliasAs("channel")] string channel, [AliasAs("oldest")] string oldest, [AliasAs("limit")] int limit,
        [AliasAs("include_all_metadata")] bool includeAllMetadata, CancellationToken cancellationToken);

    /// <summary>A thread's messages (its parent first), from <paramref name="oldest"/> on, with their metadata.</summary>
    [Get("/conversations.replies")]
    Task<IApiResponse<HistoryResponse>> RepliesAsync([AliasAs("channel")] string channel, [AliasAs("ts")] string threadTs, [AliasAs("oldest")] string oldest,
        [AliasAs("limit")] int limit, [AliasAs("include_all_metadata")] bool includeAllMetadata, CancellationToken cancellationToken);

    [Get("/users.info")]
    Task<IApiResponse<UserInfoResponse>> UserInfoAsync([AliasAs("user")] string userId, CancellationToken cancellationToken);

    /// <summary>The workspace's member with this e-mail (<c>users_not_found</c> when there is none).</summary>
    [Get("/users.lookupByEmail")]
    Task<IApiResponse<UserInfoResponse>> LookupByEmailAsync([AliasAs("email")] string email, CancellationToken cancellationToken);

    [Get("/usergroups.users.list")]
    Task<IApiResponse<UserGroupUsersResponse>> UserGroupUsersAsync([AliasAs("usergroup")] string userGroupId, CancellationToken cancellationToken);

    /// <summary>Step 1 of an upload: where to send the bytes. This method takes form fields, not JSON.</summary>
    [Post("/files.getUploadURLExternal")]
    Task<IApiResponse<UploadUrlResponse>> GetUploadUrlAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    /// <summary>Step 3 of an upload: share the uploaded file into a conversation.</summary>
    [Post("/files.completeUploadExternal")]
    Task<IApiResponse<CompleteUploadResponse>> CompleteUploadAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    /// <summary>Socket Mode: a WebSocket URL for this app. Authorized with the app-level token, not the bot token.</summary>
    [Post("/apps.connections.open")]
    Task<IApiResponse<ConnectionsOpenResponse>> OpenConnectionAsync([Header("Authorization")] string authorization, CancellationToken cancellationToken);
}
