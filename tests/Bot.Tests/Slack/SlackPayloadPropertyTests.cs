using Bot.Commands;
using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Bot.Workflows.Messages;

namespace Bot.Tests.Slack;

/// <summary>Whatever Slack (or an attacker with a stolen signature) sends, parsing and routing answer and never throw.</summary>
public class SlackPayloadPropertyTests
{
    private static readonly string[] Keys =
    [
        "type", "user", "id", "username", "name", "team", "team_id", "actions", "action_id", "block_id", "value",
        "selected_option", "action_ts", "view", "callback_id", "state", "values", "hash", "private_metadata",
        "response_url", "response_urls", "channel", "channel_id", "container", "message_ts", "trigger_id",
        "event", "event_id", "challenge", "selected_options", "selected_date",
    ];

    private static readonly string[] Types = ["block_actions", "view_submission", "shortcut", "url_verification", "event_callback", "app_mention", ""];

    private static Gen<string> Leaf() => Gen.OneOf(
        Gen.Constant("null"),
        Gen.Constant("true"),
        Gen.Constant("[]"),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements(Types.Concat(Keys).ToArray()).Select(s => JsonSerializer.Serialize(s)),
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => JsonSerializer.Serialize(s.Get)));

    private static Gen<string> JsonValue(int depth) => depth <= 0
        ? Leaf()
        : Gen.Frequency((3, Leaf()), (2, JsonObject(depth - 1)), (1, JsonArray(depth - 1)));

    private static Gen<string> JsonObject(int depth) =>
        from count in Gen.Choose(0, 6)
        from pairs in Gen.ArrayOf(from key in Gen.Elements(Keys) from value in JsonValue(depth) select (key, value), count)
        select "{" + string.Join(",", pairs.Select(p => $"\"{p.key}\":{p.value}")) + "}";

    private static Gen<string> JsonArray(int depth) =>
        from count in Gen.Choose(0, 3)
        from items in Gen.ArrayOf(JsonValue(depth), count)
        select "[" + string.Join(",", items) + "]";

    /// <summary>A string most of the time, anything else sometimes.</summary>
    private static Gen<string> StringOrJunk() => Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => JsonSerializer.Serialize(s.Get))),
        (1, JsonValue(1)));

    /// <summary>An object with each of <paramref name="fields"/> present (and maybe wrong) or absent.</summary>
    private static Gen<string> ObjectOf(params (string Key, Gen<string> Value)[] fields) =>
        from members in Gen.CollectToArray(fields.Select(f =>
            Gen.Frequency((4, f.Value.Select(v => $"\"{f.Key}\":{v}")), (1, Gen.Constant("")))))
        select "{" + string.Join(",", members.Where(m => m.Length > 0)) + "}";

    private static Gen<string> Sometimes(Gen<string> shaped, int depth) => Gen.Frequency((5, shaped), (1, JsonValue(depth)));

    /// <summary>Objects shaped like Slack payloads: the fields routing needs are usually there, often wrong, sometimes missing.</summary>
    public static Gen<string> SlackishJson()
    {
        var user = Sometimes(ObjectOf(("id", StringOrJunk()), ("username", StringOrJunk()), ("team_id", StringOrJunk())), 1);
        var team = Sometimes(ObjectOf(("id", StringOrJunk())), 1);
        var action = ObjectOf(("action_id", StringOrJunk()), ("value", StringOrJunk()), ("block_id", StringOrJunk()), ("action_ts", StringOrJunk()),
            ("selected_option", ObjectOf(("value", StringOrJunk()))));
        var actions = Sometimes(Gen.ArrayOf(action, 2).Select(a => "[" + string.Join(",", a) + "]"), 1);
        var input = ObjectOf(("value", StringOrJunk()), ("selected_option", ObjectOf(("value", StringOrJunk()))),
            ("selected_options", Gen.ArrayOf(ObjectOf(("value", StringOrJunk())), 2).Select(a => "[" + string.Join(",", a) + "]")));
        var values = from block in Gen.Elements("b1", "b2") from inputId in Gen.Elements("i1", "i2") from i in input
                     select $"{{\"{block}\":{{\"{inputId}\":{i}}}}}";
        var view = Sometimes(ObjectOf(("callback_id", StringOrJunk()), ("hash", StringOrJunk()), ("private_metadata", StringOrJunk()),
            ("state", Sometimes(ObjectOf(("values", Sometimes(values, 1))), 1))), 1);
        return from type in Gen.Elements(Types)
               from body in ObjectOf(("user", user), ("team", team), ("actions", actions), ("view", view),
                   ("container", ObjectOf(("channel_id", StringOrJunk()), ("message_ts", StringOrJunk()))),
                   ("response_url", StringOrJunk()), ("response_urls", JsonValue(2)), ("trigger_id", StringOrJunk()),
                   ("event", JsonObject(2)), ("event_id", StringOrJunk()), ("challenge", StringOrJunk()), ("team_id", StringOrJunk()))
               from truncate in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
               let json = body.Length > 2 ? $"{{\"type\":\"{type}\"," + body[1..] : $"{{\"type\":\"{type}\"}}"
               select truncate ? json[..(json.Length / 2)] : json;
    }

    [Fact]
    public void The_generator_reaches_both_outcomes_so_the_properties_are_not_vacuous()
    {
        // FsCheck 3: Sample(numberOfSamples, size) — 2000 payloads of size 30.
        var samples = SlackishJson().Sample(2000, 30).Select(SlackPayloads.ParseInteraction).ToList();
        Assert.Contains(samples, p => p.Value is not null);
        Assert.Contains(samples, p => p.Error is not null);
        Assert.Contains(samples, p => p.Value?.Request is not null);
    }

    [Property(MaxTest = 300)]
    public Property Interaction_parser_answers_any_json_without_throwing() =>
        Prop.ForAll(SlackishJson().ToArbitrary(), json =>
        {
            var parsed = SlackPayloads.ParseInteraction(json);
            return (parsed.Value is null) != (parsed.Error is null);
        });

    [Property(MaxTest = 300)]
    public Property Interaction_form_parser_answers_any_form_without_throwing() =>
        Prop.ForAll(SlackishJson().ToArbitrary(), json =>
        {
            var parsed = SlackPayloads.ParseInteractionForm(Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(json)));
            return (parsed.Value is null) != (parsed.Error is null);
        });

    [Property(MaxTest = 300)]
    public Property Event_parser_answers_any_json_without_throwing() =>
        Prop.ForAll(SlackishJson().ToArbitrary(), json =>
        {
            var parsed = SlackPayloads.ParseEvent(Encoding.UTF8.GetBytes(json));
            return (parsed.Value is null) != (parsed.Error is null);
        });

    [Property(MaxTest = 300)]
    public Property Nothing_slack_sends_makes_a_shell_identity() =>
        Prop.ForAll(SlackishJson().ToArbitrary(), json =>
        {
            var interaction = SlackPayloads.ParseInteraction(json).Value?.Request?.User;
            var command = SlackPayloads.ParseSlashCommand(Encoding.UTF8.GetBytes("command=%2Fsb&channel_id=C1&user_id=" + Uri.EscapeDataString(json))).Value?.Request.User;
            return interaction?.IsShellIdentity != true && command?.IsShellIdentity != true;
        });

    [Property(MaxTest = 500)]
    public bool Form_parsers_answer_any_bytes_without_throwing(byte[] body)
    {
        var command = SlackPayloads.ParseSlashCommand(body);
        var interaction = SlackPayloads.ParseInteractionForm(body);
        var evt = SlackPayloads.ParseEvent(body);
        return (command.Value is null) != (command.Error is null)
            && (interaction.Value is null) != (interaction.Error is null)
            && (evt.Value is null) != (evt.Error is null);
    }

    [Property(MaxTest = 500)]
    public bool Form_parser_reads_back_any_encoded_field(NonNull<string> key, NonNull<string> value)
    {
        if (key.Get.Length == 0 || key.Get.Contains('\uFFFD') || value.Get.Contains('\uFFFD') || HasLoneSurrogate(key.Get + value.Get)) return true;
        var body = Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(key.Get)}={Uri.EscapeDataString(value.Get)}");
        return SlackPayloads.ParseForm(body).TryGetValue(key.Get, out var read) && read == value.Get;
    }

    [Property(MaxTest = 500)]
    public bool Tokenizer_never_throws(string? text) => CommandTokenizer.Tokenize(text) is not null;

    [Property(MaxTest = 300)]
    public Property Tokenizer_splits_unquoted_text_on_whitespace() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Elements("deploy", "api", "--since", "1h", "prod", "a=b", "it’s", "x\\y", "--flag=1", " ", "\t", "  "))
                .Select(parts => string.Join(' ', parts)).ToArbitrary(),
            text => CommandTokenizer.Tokenize(text).SequenceEqual(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

    [Property(MaxTest = 200)]
    public bool Router_answers_any_text_exactly_once_and_never_throws(string? text)
    {
        var router = Router();
        var reply = new CountingReplyChannel();
        router.DispatchAsync(new CommandRequest { Command = "/sb", Text = text ?? "", User = new Actor("U1", "alice"), ChannelId = "C1" }, reply, CancellationToken.None)
            .GetAwaiter().GetResult();
        return reply.Responses == 1;
    }

    private static CommandRouter Router()
    {
        var services = new ServiceCollection().AddLogging().AddCommandRouting().BuildServiceProvider();
        return services.GetRequiredService<CommandRouter>();
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))) return true;
            if (char.IsLowSurrogate(s[i]) && (i == 0 || !char.IsHighSurrogate(s[i - 1]))) return true;
        }
        return false;
    }

    private sealed class CountingReplyChannel : IReplyChannel
    {
        public int Responses { get; private set; }

        public Task RespondAsync(ChatMessage message, CancellationToken cancellationToken)
        {
            Responses++;
            return Task.CompletedTask;
        }

        public Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken) => throw new InvalidOperationException("help only responds");
        public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("help only responds");
        public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken) => throw new InvalidOperationException("help only responds");
        public Task<bool> OpenFormAsync(Form form, CancellationToken cancellationToken) => throw new InvalidOperationException("help only responds");
    }
}
