using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Integrations.Http;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using Refit;

namespace Bot.Integrations.Slack.WebApi;

/// <summary>
/// The Slack Web API as the bot uses it. Every call either returns Slack's answer with <c>ok: true</c>
/// or throws <see cref="SlackApiException"/> carrying Slack's error code (<see cref="SlackRateLimitedException"/>
/// for a 429 that outlasted the in-process retries). Retries of 5xx and short 429s happen below, in
/// the HTTP client's resilience handler, except 5xx and timeouts of the <see cref="NotIdempotent"/> methods.
/// </summary>
public sealed class SlackWebApiClient(ISlackApi api, IHttpClientFactory httpClients, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>The name of the plain HTTP client used for file bytes (upload URLs are absolute).</summary>
    public const string UploadClientName = "slack-upload";

    /// <summary>The bot scopes each method needs (several, space-separated: one per kind of conversation); the app manifest must grant all of them.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredScopes = new Dictionary<string, string>
    {
        ["chat.postMessage"] = "chat:write",
        ["chat.update"] = "chat:write",
        ["chat.postEphemeral"] = "chat:write",
        // The outbox looks for a post of its own that may have landed before posting it again (public, private, DM, group DM).
        ["conversations.history"] = "channels:history groups:history im:history mpim:history",
        ["conversations.replies"] = "channels:history groups:history im:history mpim:history",
        // A direct message goes to a user id; the history of it is read under the conversation's own id.
        ["conversations.open"] = "im:write",
        ["views.open"] = "commands",
        ["views.update"] = "commands",
        ["users.info"] = "users:read",
        // Whom PagerDuty's on-call is in Slack (a handoff mentions the engineers), by their e-mail.
        ["users.lookupByEmail"] = "users:read.email",
        ["usergroups.users.list"] = "usergroups:read",
        ["files.getUploadURLExternal"] = "files:write",
        ["files.completeUploadExternal"] = "files:write",
    };

    /// <summary>Scopes for fields of an answer rather than a method: the e-mail in users.info's profile (the PagerDuty account of who clicks an incident's button).</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldScopes = new Dictionary<string, string>
    {
        ["users.info: user.profile.email"] = "users:read.email",
    };

    /// <summary>Methods the bot calls that need no scope (the app-level token's <see cref="SocketModeScope"/> aside).</summary>
    public static readonly IReadOnlyList<string> MethodsWithoutScope = ["auth.test", "views.publish", "apps.connections.open"];

    /// <summary>
    /// Methods whose repeat does something again (a second message, a second file share): the HTTP layer does not repeat
    /// them after a 5xx or a timeout, when the first attempt may have landed.
    /// </summary>
    public static readonly IReadOnlySet<string> NotIdempotent = new HashSet<string>(StringComparer.Ordinal)
    {
        "chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "chat.meMessage", "files.completeUploadExternal",
    };

    /// <summary>True when <paramref name="uri"/> calls one of <see cref="NotIdempotent"/>.</summary>
    public static bool IsNotIdempotent(Uri? uri) =>
        uri is not null && uri.AbsolutePath.LastIndexOf('/') is var slash && slash >= 0 && NotIdempotent.Contains(uri.AbsolutePath[(slash + 1)..]);

    /// <summary>The app-level token scope Socket Mode needs (not a bot scope).</summary>
    public const string SocketModeScope = "connections:write";

    // Every message passes SlackMessageLimits.Fit on its way out, typed blocks as their JSON.

    /// <summary><c>chat.postMessage</c>; <paramref name="broadcast"/> also shows a thread reply in the channel (<c>reply_broadcast</c>).</summary>
    public Task<PostedMessage> PostMessageAsync(string channel, string text, IReadOnlyList<Block>? blocks, string? threadTs, CancellationToken cancellationToken, bool broadcast = false) =>
        PostMessageJsonAsync(channel, text, SlackMessageLimits.ToJson(blocks), threadTs, cancellationToken, broadcast);

    /// <summary><c>chat.update</c>; no blocks (an empty list) clears the message's old ones.</summary>
    public async Task<PostedMessage> UpdateMessageAsync(string channel, string ts, string text, IReadOnlyList<Block>? blocks, CancellationToken cancellationToken)
    {
        var response = await UpdateAsync(channel, ts, text, SlackMessageLimits.ToJson(blocks, keepEmpty: true), cancellationToken);
        return new PostedMessage(response.Channel ?? channel, response.Ts ?? ts);
    }

    /// <summary><c>chat.postMessage</c> with Block Kit given as a JSON array (as the outbox stores it); tagged with <paramref name="deliveryId"/> when given.</summary>
    public async Task<PostedMessage> PostMessageJsonAsync(string channel, string text, JsonElement? blocks, string? threadTs, CancellationToken cancellationToken, bool broadcast = false,
        string? deliveryId = null)
    {
        var message = SlackMessageLimits.Fit(text, blocks);
        var response = await Invoke("chat.postMessage", () => api.PostMessageJsonAsync(
            new PostMessageJsonRequest
            {
                Channel = channel, Text = message.Text, Blocks = message.Blocks, ThreadTs = threadTs, ReplyBroadcast = broadcast && threadTs is not null ? true : null,
                Metadata = deliveryId is null ? null : new MessageMetadata { EventType = DeliveryEventType, EventPayload = new() { ["delivery_id"] = deliveryId } },
            }, cancellationToken), cancellationToken);
        return new PostedMessage(response.Channel ?? channel, response.Ts ?? throw new SlackApiException("chat.postMessage", "missing_ts", transient: false));
    }

    /// <summary>The metadata <c>event_type</c> of the outbox's posts.</summary>
    public const string DeliveryEventType = "securebase_delivery";

    /// <summary>How many recent messages are read when looking for a post that may have landed.</summary>
    public const int FindPostLimit = 200;

    /// <summary>
    /// The <c>ts</c> of this bot's post tagged <paramref name="deliveryId"/> in <paramref name="channel"/> (in the thread of
    /// <paramref name="threadTs"/> when given) since <paramref name="since"/>, or null when there is none among the
    /// <see cref="FindPostLimit"/> messages read.
    /// </summary>
    public async Task<string?> FindPostAsync(string channel, string deliveryId, string? threadTs, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var oldest = (since.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);
        // A direct message was posted to a user id: its history is the DM conversation's (a user id is not one).
        if (channel is ['U' or 'W', ..])
        {
            channel = (await Invoke("conversations.open", () => api.OpenConversationAsync(new OpenConversationRequest { Users = channel }, cancellationToken), cancellationToken))
                .Channel?.Id ?? channel;
        }
        var page = threadTs is null
            ? await Invoke("conversations.history", () => api.HistoryAsync(channel, oldest, FindPostLimit, true, cancellationToken), cancellationToken)
            : await Invoke("conversations.replies", () => api.RepliesAsync(channel, threadTs, oldest, FindPostLimit, true, cancellationToken), cancellationToken);
        var fileTag = FileTag(deliveryId);
        return page.Messages?.FirstOrDefault(m => (m.Metadata is { EventType: DeliveryEventType } meta
            && meta.EventPayload.TryGetValue("delivery_id", out var id) && id == deliveryId)
            || m.Files?.Any(f => f.Name is { } name && Path.GetFileNameWithoutExtension(name).EndsWith(fileTag, StringComparison.Ordinal)) == true)?.Ts;
    }

    /// <summary>
    /// <paramref name="fileName"/> tagged with <paramref name="deliveryId"/> (before its extension): a file share carries no message
    /// metadata, so an upload the outbox made is found by its file's name (<see cref="FindPostAsync"/>).
    /// </summary>
    public static string TaggedFileName(string fileName, string deliveryId) =>
        Path.GetFileNameWithoutExtension(fileName) + FileTag(deliveryId) + Path.GetExtension(fileName);

    /// <summary>A short tag for a delivery id, safe in a file name: <c>-sb</c> and 10 hex digits of its SHA-256.</summary>
    private static string FileTag(string deliveryId) =>
        "-sb" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryId)))[..10];

    /// <summary><c>chat.update</c> with Block Kit given as a JSON array.</summary>
    public async Task UpdateMessageJsonAsync(string channel, string ts, string text, JsonElement? blocks, CancellationToken cancellationToken) =>
        await UpdateAsync(channel, ts, text, blocks, cancellationToken);

    private Task<PostMessageResponse> UpdateAsync(string channel, string ts, string text, JsonElement? blocks, CancellationToken cancellationToken)
    {
        var message = SlackMessageLimits.Fit(text, blocks);
        return Invoke("chat.update", () => api.UpdateMessageJsonAsync(
            new UpdateMessageJsonRequest { Channel = channel, Ts = ts, Text = message.Text, Blocks = message.Blocks }, cancellationToken), cancellationToken);
    }

    public async Task<string?> PostEphemeralAsync(string channel, string user, string text, IReadOnlyList<Block>? blocks, string? threadTs, CancellationToken cancellationToken)
    {
        var message = SlackMessageLimits.Fit(text, SlackMessageLimits.ToJson(blocks));
        var response = await Invoke("chat.postEphemeral", () => api.PostEphemeralAsync(
            new PostEphemeralRequest { Channel = channel, User = user, Text = message.Text, Blocks = message.Blocks, ThreadTs = threadTs }, cancellationToken), cancellationToken);
        return response.MessageTs;
    }

    public async Task<string?> OpenViewAsync(string triggerId, ModalView view, CancellationToken cancellationToken) =>
        (await Invoke("views.open", () => api.OpenViewAsync(new OpenViewRequest { TriggerId = triggerId, View = view }, cancellationToken), cancellationToken)).View?.Id;

    public async Task<string?> UpdateViewAsync(string viewId, ModalView view, string? hash, CancellationToken cancellationToken) =>
        (await Invoke("views.update", () => api.UpdateViewAsync(new UpdateViewRequest { ViewId = viewId, View = view, Hash = hash }, cancellationToken), cancellationToken)).View?.Id;

    /// <summary>Slack's limit of blocks in a Home tab.</summary>
    public const int MaxHomeBlocks = 100;

    /// <summary><c>views.publish</c>: shows <paramref name="view"/> as <paramref name="userId"/>'s App Home tab (replacing the last one).</summary>
    public async Task PublishHomeAsync(string userId, HomeView view, CancellationToken cancellationToken) =>
        await Invoke("views.publish", () => api.PublishViewAsync(new PublishViewRequest { UserId = userId, View = view with { Blocks = view.Blocks.Take(MaxHomeBlocks).ToList() } }, cancellationToken), cancellationToken);

    /// <summary><c>auth.test</c>: the workspace and bot user the token belongs to (a connectivity check).</summary>
    public async Task<AuthTestResponse> AuthTestAsync(CancellationToken cancellationToken) =>
        await Invoke("auth.test", () => api.AuthTestAsync(cancellationToken), cancellationToken);

    public async Task<SlackUser> UserInfoAsync(string userId, CancellationToken cancellationToken) =>
        (await Invoke("users.info", () => api.UserInfoAsync(userId, cancellationToken), cancellationToken)).User
        ?? throw new SlackApiException("users.info", "missing_user", transient: false);

    public async Task<SlackUser> LookupByEmailAsync(string email, CancellationToken cancellationToken) =>
        (await Invoke("users.lookupByEmail", () => api.LookupByEmailAsync(email, cancellationToken), cancellationToken)).User
        ?? throw new SlackApiException("users.lookupByEmail", "missing_user", transient: false);

    public async Task<IReadOnlyList<string>> UserGroupMembersAsync(string userGroupId, CancellationToken cancellationToken) =>
        (await Invoke("usergroups.users.list", () => api.UserGroupUsersAsync(userGroupId, cancellationToken), cancellationToken)).Users ?? [];

    /// <summary>
    /// Uploads a file the current way: <c>files.getUploadURLExternal</c>, the bytes to the returned
    /// URL, then <c>files.completeUploadExternal</c> to share it in <paramref name="channel"/>.
    /// </summary>
    public async Task<string> UploadFileAsync(string channel, string fileName, string title, byte[] content, string? initialComment, string? threadTs, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await UploadFileAsync(channel, fileName, title, stream, initialComment, threadTs, cancellationToken);
    }

    /// <summary>As above, the content streamed from <paramref name="content"/> (seekable: a retried upload rewinds it).</summary>
    public async Task<string> UploadFileAsync(string channel, string fileName, string title, Stream content, string? initialComment, string? threadTs, CancellationToken cancellationToken)
    {
        var length = content.Length - content.Position;
        var target = await Invoke("files.getUploadURLExternal", () => api.GetUploadUrlAsync(new Dictionary<string, string>
        {
            ["filename"] = fileName,
            ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken), cancellationToken);
        if (target.FileId is null || !Uri.TryCreate(target.UploadUrl, UriKind.Absolute, out var uploadUrl))
            throw new SlackApiException("files.getUploadURLExternal", "missing_upload_url", transient: false);

        using (var body = new StreamContent(content))
        {
            body.Headers.ContentLength = length;
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var upload = await Transport("file upload", () => httpClients.CreateClient(UploadClientName).PostAsync(uploadUrl, body, cancellationToken), cancellationToken);
            if (!upload.IsSuccessStatusCode)
                throw new SlackApiException("file upload", $"http_{(int)upload.StatusCode}", transient: (int)upload.StatusCode >= 500);
        }

        var form = new Dictionary<string, string>
        {
            ["files"] = JsonSerializer.Serialize(new[] { new { id = target.FileId, title } }),
            ["channel_id"] = channel,
        };
        if (threadTs is not null) form["thread_ts"] = threadTs;
        if (initialComment is not null) form["initial_comment"] = initialComment;
        await Invoke("files.completeUploadExternal", () => api.CompleteUploadAsync(form, cancellationToken), cancellationToken);
        return target.FileId;
    }

    /// <summary>Socket Mode: asks for a WebSocket URL with the app-level (<c>xapp-</c>) token.</summary>
    public async Task<Uri> OpenSocketModeConnectionAsync(string appToken, CancellationToken cancellationToken)
    {
        const string method = "apps.connections.open";
        var response = Checked(time, method, await Transport(method, () => api.OpenConnectionAsync("Bearer " + appToken, cancellationToken), cancellationToken));
        return Uri.TryCreate(response.Url, UriKind.Absolute, out var url) && url.Scheme is "wss" or "ws"
            ? url
            : throw new SlackApiException(method, "invalid_url", transient: true);
    }

    /// <summary>Said to whoever needs Slack when the bot runs without it (e.g. in the shell).</summary>
    public const string NotConfiguredText = "Slack is not configured: set Slack__BotToken (and Slack__SigningSecret) to use the Slack Web API.";

    private async Task<T> Invoke<T>(string method, Func<Task<IApiResponse<T>>> call, CancellationToken cancellationToken) where T : SlackResponse
    {
        EnsureConfigured();
        return Checked(time, method, await Transport(method, call, cancellationToken));
    }

    private void EnsureConfigured()
    {
        if (string.IsNullOrWhiteSpace(options.Value.BotToken)) throw new IntegrationException(NotConfiguredText);
    }

    /// <summary>Network failures and timeouts (after the retries) become transient <see cref="SlackApiException"/>s.</summary>
    private static async Task<T> Transport<T>(string method, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new SlackApiException(method, "connection_failed", transient: true, inner: e);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new SlackApiException(method, "timeout", transient: true, inner: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SlackApiException(method, "timeout", transient: true, inner: e);
        }
    }

    /// <summary>Turns every failure shape into a <see cref="SlackApiException"/>.</summary>
    internal static T Checked<T>(TimeProvider time, string method, IApiResponse<T> response) where T : SlackResponse
    {
        using (response)
        {
            // No status at all: the connection failed before an answer came (Refit keeps the exception); worth another try.
            if (response.StatusCode is null)
                throw new SlackApiException(method, "connection_failed", transient: true, inner: response.Error);
            var status = (int)response.StatusCode;
            if (status == (int)HttpStatusCode.TooManyRequests)
                throw new SlackRateLimitedException(method, RetryAfter(response.Headers?.RetryAfter, time));
            if (status >= 500 || status == (int)HttpStatusCode.RequestTimeout)
                throw new SlackApiException(method, $"http_{status}", transient: true);
            if (status is < 200 or >= 300)
                throw new SlackApiException(method, $"http_{status}", transient: false);
            if (response.Error is not null || response.Content is null)
                throw new SlackApiException(method, "invalid_response", transient: false, inner: response.Error);
            if (!response.Content.Ok)
            {
                var detail = response.Content.ResponseMetadata?.Messages is { Count: > 0 } messages ? string.Join("; ", messages) : null;
                var code = string.IsNullOrWhiteSpace(response.Content.Error) ? "unknown_error" : response.Content.Error;
                throw new SlackApiException(method, code, transient: code is "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout", detail);
            }
            return response.Content;
        }
    }

    internal static TimeSpan RetryAfter(RetryConditionHeaderValue? header, TimeProvider time) => RetryAfterHeader.Wait(header, time, TimeSpan.FromSeconds(30));
}
