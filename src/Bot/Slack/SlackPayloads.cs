using System.Text;
using System.Text.Json;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Slack;

/// <summary>A parse that either worked or says briefly why not (the reason goes back as a 400).</summary>
public sealed record Parsed<T>(T? Value, string? Error) where T : class;

public static class Parsed
{
    public static Parsed<T> Ok<T>(T value) where T : class => new(value, null);
    public static Parsed<T> Fail<T>(string error) where T : class => new(null, error);
}

/// <summary>A slash command as Slack posts it (form fields).</summary>
public sealed record SlashCommand(CommandRequest Request, string TeamId);

/// <summary>An interactive payload: the request to route, or null for kinds the bot does not act on.</summary>
public sealed record InteractionPayload(string Type, string TeamId, InteractionRequest? Request);

/// <summary>An Events API envelope.</summary>
public sealed record EventEnvelope(string Type, string? Challenge, string TeamId, string? EventId, string? EventType, JsonElement Event);

/// <summary>
/// Turns Slack's wire formats into router requests. Total over its input: whatever bytes arrive,
/// the answer is a value or a short reason, never an exception.
/// </summary>
public static class SlackPayloads
{
    public static IReadOnlyDictionary<string, string> ParseForm(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(text))
            fields[key] = values.FirstOrDefault() ?? "";
        return fields;
    }

    public static Parsed<SlashCommand> ParseSlashCommand(byte[] body) => SlashCommandFrom(ParseForm(body));

    /// <summary>A slash command delivered over Socket Mode: the same fields, as a JSON object.</summary>
    public static Parsed<SlashCommand> ParseSlashCommand(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object) return Parsed.Fail<SlashCommand>("The payload is not a JSON object.");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in payload.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String) fields[property.Name] = property.Value.GetString()!;
        }
        return SlashCommandFrom(fields);
    }

    private static Parsed<SlashCommand> SlashCommandFrom(IReadOnlyDictionary<string, string> form)
    {
        foreach (var required in new[] { "command", "user_id", "channel_id" })
        {
            if (!form.TryGetValue(required, out var v) || string.IsNullOrWhiteSpace(v))
                return Parsed.Fail<SlashCommand>($"Missing form field '{required}'.");
        }
        var teamId = form.GetValueOrDefault("team_id") ?? "";
        var userId = form["user_id"];
        var request = new CommandRequest
        {
            Command = form["command"],
            Text = form.GetValueOrDefault("text") ?? "",
            User = new Actor(userId, NonEmpty(form.GetValueOrDefault("user_name")) ?? userId),
            ChannelId = form["channel_id"],
            TeamId = teamId,
            ResponseUrl = NonEmpty(form.GetValueOrDefault("response_url")),
            TriggerId = NonEmpty(form.GetValueOrDefault("trigger_id")),
            Transport = Transport.Slack,
            // Slack makes a trigger_id per invocation, so a second copy of the same request has the same id (replays are refused by it).
            RequestId = NonEmpty(form.GetValueOrDefault("trigger_id")) ?? ContentId(string.Join('&', form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))),
        };
        return Parsed.Ok(new SlashCommand(request, teamId));
    }

    /// <summary>The form body of <c>/slack/interactions</c>: one field, <c>payload</c>, holding JSON.</summary>
    public static Parsed<InteractionPayload> ParseInteractionForm(byte[] body)
    {
        var form = ParseForm(body);
        if (!form.TryGetValue("payload", out var json) || string.IsNullOrWhiteSpace(json))
            return Parsed.Fail<InteractionPayload>("Missing form field 'payload'.");
        return ParseInteraction(json);
    }

    public static Parsed<InteractionPayload> ParseInteraction(string json)
    {
        if (!TryParseObject(json, out var doc)) return Parsed.Fail<InteractionPayload>("The payload is not a JSON object.");
        using (doc)
        {
            var root = doc!.RootElement;
            var type = Str(root, "type");
            if (type is null) return Parsed.Fail<InteractionPayload>("The payload has no 'type'.");
            var teamId = Str(root, "team", "id") ?? Str(root, "user", "team_id") ?? "";
            var userId = Str(root, "user", "id");
            if (userId is null) return Parsed.Fail<InteractionPayload>("The payload has no 'user.id'.");
            var user = new Actor(userId, Str(root, "user", "username") ?? Str(root, "user", "name") ?? userId);

            // An id for the delivery that a copy of it shares: Slack's own ids where it has them, else the payload's digest.
            var fallbackId = NonEmpty(Str(root, "trigger_id")) ?? ContentId(json);
            return type switch
            {
                InteractionRequest.BlockActions => BlockActions(root, type, teamId, user, fallbackId),
                InteractionRequest.ViewSubmission => ViewSubmission(root, type, teamId, user, fallbackId),
                InteractionRequest.MessageAction => MessageAction(root, type, teamId, user, fallbackId),
                _ => Parsed.Ok(new InteractionPayload(type, teamId, null)),
            };
        }
    }

    private static Parsed<InteractionPayload> BlockActions(JsonElement root, string type, string teamId, Actor user, string fallbackId)
    {
        var actions = Get(root, "actions");
        if (actions is not { ValueKind: JsonValueKind.Array } || actions.Value.GetArrayLength() == 0)
            return Parsed.Fail<InteractionPayload>("block_actions without 'actions'.");
        var action = actions.Value[0];
        var actionId = Str(action, "action_id");
        if (string.IsNullOrEmpty(actionId)) return Parsed.Fail<InteractionPayload>("The action has no 'action_id'.");

        var request = new InteractionRequest
        {
            Type = type,
            Id = actionId,
            Value = Str(action, "value") ?? Str(action, "selected_option", "value"),
            BlockId = Str(action, "block_id"),
            User = user,
            TeamId = teamId,
            ChannelId = Str(root, "channel", "id") ?? Str(root, "container", "channel_id"),
            MessageTs = Str(root, "container", "message_ts") ?? Str(root, "message", "ts"),
            ResponseUrl = Str(root, "response_url"),
            TriggerId = Str(root, "trigger_id"),
            Transport = Transport.Slack,
            RequestId = Str(action, "action_ts") is { } ts ? $"{user.UserId}:{actionId}:{ts}" : fallbackId,
        };
        return Parsed.Ok(new InteractionPayload(type, teamId, request));
    }

    /// <summary>A message shortcut: its <c>callback_id</c> and the message it was used on (in which channel and thread).</summary>
    private static Parsed<InteractionPayload> MessageAction(JsonElement root, string type, string teamId, Actor user, string fallbackId)
    {
        var callbackId = Str(root, "callback_id");
        if (string.IsNullOrEmpty(callbackId)) return Parsed.Fail<InteractionPayload>("The message shortcut has no 'callback_id'.");
        var ts = Str(root, "message", "ts") ?? Str(root, "message_ts");
        if (string.IsNullOrEmpty(ts)) return Parsed.Fail<InteractionPayload>("The message shortcut has no 'message.ts'.");
        var request = new InteractionRequest
        {
            Type = type,
            Id = callbackId,
            User = user,
            TeamId = teamId,
            ChannelId = Str(root, "channel", "id"),
            MessageTs = ts,
            Message = new ShortcutMessage(ts, NonEmpty(Str(root, "message", "thread_ts")), SlackMarkupReader.ToPlain(Str(root, "message", "text") ?? ""), NonEmpty(Str(root, "message", "user"))),
            ResponseUrl = Str(root, "response_url"),
            TriggerId = Str(root, "trigger_id"),
            Transport = Transport.Slack,
            RequestId = Str(root, "action_ts") is { } actionTs ? $"{user.UserId}:{callbackId}:{actionTs}" : fallbackId,
        };
        return Parsed.Ok(new InteractionPayload(type, teamId, request));
    }

    private static Parsed<InteractionPayload> ViewSubmission(JsonElement root, string type, string teamId, Actor user, string fallbackId)
    {
        var callbackId = Str(root, "view", "callback_id");
        if (string.IsNullOrEmpty(callbackId)) return Parsed.Fail<InteractionPayload>("The view has no 'callback_id'.");

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Get(root, "view", "state", "values") is { ValueKind: JsonValueKind.Object } state)
        {
            foreach (var block in state.EnumerateObject())
            {
                if (block.Value.ValueKind != JsonValueKind.Object) continue;
                foreach (var input in block.Value.EnumerateObject())
                    values[$"{block.Name}.{input.Name}"] = InputValue(input.Value);
            }
        }

        // Present only when the modal has an input asking for a conversation to answer in.
        JsonElement? firstResponseUrl = Get(root, "response_urls") is { ValueKind: JsonValueKind.Array } urls && urls.GetArrayLength() > 0 ? urls[0] : null;

        var request = new InteractionRequest
        {
            Type = type,
            Id = callbackId,
            User = user,
            TeamId = teamId,
            ChannelId = firstResponseUrl is { } first ? Str(first, "channel_id") : null,
            ResponseUrl = firstResponseUrl is { } url ? Str(url, "response_url") : null,
            TriggerId = Str(root, "trigger_id"),
            ViewValues = values,
            PrivateMetadata = Str(root, "view", "private_metadata"),
            Transport = Transport.Slack,
            RequestId = Str(root, "view", "hash") is { } hash ? $"{user.UserId}:{callbackId}:{hash}" : fallbackId,
        };
        return Parsed.Ok(new InteractionPayload(type, teamId, request));
    }

    private static string? InputValue(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in new[] { "value", "selected_date", "selected_time", "selected_user", "selected_conversation", "selected_channel" })
        {
            if (Str(input, name) is { } v) return v;
        }
        if (Str(input, "selected_option", "value") is { } option) return option;
        if (Get(input, "selected_options") is { ValueKind: JsonValueKind.Array } options)
            return string.Join(',', options.EnumerateArray().Select(o => Str(o, "value")).Where(v => v is not null));
        return null;
    }

    public static Parsed<EventEnvelope> ParseEvent(byte[] body)
    {
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Parsed.Fail<EventEnvelope>("The body is not UTF-8.");
        }
        if (!TryParseObject(json, out var doc)) return Parsed.Fail<EventEnvelope>("The body is not a JSON object.");
        using (doc) return ParseEvent(doc!.RootElement);
    }

    /// <summary>An Events API envelope already parsed (Socket Mode delivers it inside its own envelope).</summary>
    public static Parsed<EventEnvelope> ParseEvent(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return Parsed.Fail<EventEnvelope>("The body is not a JSON object.");
        var type = Str(root, "type");
        if (type is null) return Parsed.Fail<EventEnvelope>("The body has no 'type'.");
        var evt = Get(root, "event") is { ValueKind: JsonValueKind.Object } e ? e.Clone() : default;
        return Parsed.Ok(new EventEnvelope(
            type,
            Str(root, "challenge"),
            Str(root, "team_id") ?? "",
            Str(root, "event_id"),
            evt.ValueKind == JsonValueKind.Object ? Str(evt, "type") : null,
            evt));
    }

    private static bool TryParseObject(string json, out JsonDocument? document)
    {
        document = null;
        try
        {
            document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return true;
            document.Dispose();
            document = null;
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The element at <paramref name="path"/>, or null when any step is missing or not an object.</summary>
    internal static JsonElement? Get(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current)) return null;
        }
        return current;
    }

    /// <summary>The string at <paramref name="path"/>, or null when absent or not a string.</summary>
    internal static string? Str(JsonElement element, params string[] path) =>
        Get(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A short digest of a payload, for deliveries that carry no id of Slack's.</summary>
    private static string ContentId(string content) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..32];

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
