using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Commands.Routing;
using Bot.Slack;
using System.Text;

namespace Bot.Tests.Slack;

public class SlackPayloadsTests
{
    [Fact]
    public void Slash_command_form_from_bolt_parses()
    {
        var parsed = SlackPayloads.ParseSlashCommand(Fixtures.ReadBytes("slack/payloads/slash_command.bolt-python.form.txt"));

        var command = Assert.IsType<SlashCommand>(parsed.Value);
        Assert.Equal("/hello-world", command.Request.Command);
        Assert.Equal("Hi", command.Request.Text);
        Assert.Equal(new Actor("W111", "primary-owner"), command.Request.User);
        Assert.Equal("C111", command.Request.ChannelId);
        Assert.Equal("T111", command.TeamId);
        Assert.Equal("https://hooks.slack.com/commands/T111/111/xxxxx", command.Request.ResponseUrl);
        Assert.Equal("111.111.xxx", command.Request.TriggerId);
        Assert.Equal(Transport.Slack, command.Request.Transport);
    }

    [Fact]
    public void Slack_documented_signature_example_body_parses_as_a_slash_command()
    {
        var parsed = SlackPayloads.ParseSlashCommand(Fixtures.ReadBytes("slack/signature/docs-example.body.txt"));
        Assert.Equal("/webhook-collect", parsed.Value!.Request.Command);
        Assert.Equal("", parsed.Value.Request.Text);
        Assert.Equal("roadrunner", parsed.Value.Request.User.UserName);
    }

    [Theory]
    [InlineData("text=hi&user_id=U1&channel_id=C1", "command")]
    [InlineData("command=%2Fsb&channel_id=C1", "user_id")]
    [InlineData("command=%2Fsb&user_id=U1&channel_id=", "channel_id")]
    public void Slash_command_without_a_required_field_says_which(string form, string field)
    {
        var parsed = SlackPayloads.ParseSlashCommand(Encoding.UTF8.GetBytes(form));
        Assert.Null(parsed.Value);
        Assert.Contains(field, parsed.Error);
    }

    [Fact]
    public void Block_actions_from_bolt_parses_into_an_interaction()
    {
        var parsed = SlackPayloads.ParseInteraction(Fixtures.ReadText("slack/payloads/block_actions.bolt-python.json"));

        var request = Assert.IsType<InteractionRequest>(parsed.Value!.Request);
        Assert.Equal(InteractionRequest.BlockActions, request.Type);
        Assert.Equal("a", request.Id);
        Assert.Equal("click_me_123", request.Value);
        Assert.Equal("b", request.BlockId);
        Assert.Equal(new Actor("W111", "primary-owner"), request.User);
        Assert.Equal("T111", request.TeamId);
        Assert.Equal("C111", request.ChannelId);
        Assert.Equal("111.222", request.MessageTs);
        Assert.Equal("https://hooks.slack.com/actions/T111/111/random-value", request.ResponseUrl);
        Assert.Equal("111.222.valid", request.TriggerId);
        Assert.Contains("1596530385.194939", request.RequestId);
    }

    [Fact]
    public void View_submission_from_bolt_parses_with_its_input_values()
    {
        var parsed = SlackPayloads.ParseInteraction(Fixtures.ReadText("slack/payloads/view_submission.bolt-python.json"));

        var request = Assert.IsType<InteractionRequest>(parsed.Value!.Request);
        Assert.Equal(InteractionRequest.ViewSubmission, request.Type);
        Assert.Equal("view-id", request.Id);
        Assert.Equal("test", request.ViewValues["hspI.maBWU"]);
        Assert.Equal("This is for you!", request.PrivateMetadata);
        Assert.Equal("T111", request.TeamId);
        Assert.Null(request.ResponseUrl);
    }

    [Fact]
    public void A_message_shortcut_from_bolt_parses_with_its_message_as_plain_text()
    {
        var parsed = SlackPayloads.ParseInteraction(Fixtures.ReadText("added/slack/message_action.bolt-python.json"));

        var request = Assert.IsType<InteractionRequest>(parsed.Value!.Request);
        Assert.Equal((InteractionRequest.MessageAction, "test-shortcut", "C111", "T111"), (request.Type, request.Id, request.ChannelId, request.TeamId));
        Assert.Equal(new ShortcutMessage("1583636382.000300", null, "@W222 test", "W111"), request.Message);
        Assert.Equal("https://hooks.slack.com/app/T111/111/xxx", request.ResponseUrl);
        Assert.Equal("W111:test-shortcut:1583637157.207593", request.RequestId);
    }

    [Fact]
    public void A_message_shortcut_in_a_thread_knows_its_thread_and_a_message_without_a_ts_is_refused()
    {
        var inThread = SlackPayloads.ParseInteraction("""
            {"type":"message_action","callback_id":"add_to_incident_timeline","user":{"id":"U1"},"channel":{"id":"C1"},
             "message":{"ts":"2.0","thread_ts":"1.0","text":"a &lt;b&gt; &amp; <https://x.example|x>"}}
            """);
        var noTs = SlackPayloads.ParseInteraction("""{"type":"message_action","callback_id":"x","user":{"id":"U1"},"message":{"text":"t"}}""");

        Assert.Equal(new ShortcutMessage("2.0", "1.0", "a <b> & x (https://x.example)", null), inThread.Value!.Request!.Message);
        Assert.Null(noTs.Value);
        Assert.Contains("message.ts", noTs.Error);
    }

    [Theory]
    [InlineData("<@U123|ana> and <@U456>", "@ana and @U456")]
    [InlineData("<#C1|ops> <!here> <!subteam^S1|@devops> <!date^1392734382^{date}|Feb 18>", "#ops @here @devops Feb 18")]
    [InlineData("<https://a.example> <https://b.example|b> <mailto:x@y.example|x@y.example>", "https://a.example b (https://b.example) x@y.example (mailto:x@y.example)")]
    [InlineData("&amp;lt; stays &amp;lt;, &lt;!here&gt; stays text", "&lt; stays &lt;, <!here> stays text")]
    public void Slack_markup_reads_back_as_plain_text(string markup, string plain) => Assert.Equal(plain, SlackMarkupReader.ToPlain(markup));

    [Fact]
    public void Form_encoded_shortcut_from_bolt_parses_and_is_not_routed()
    {
        var parsed = SlackPayloads.ParseInteractionForm(Fixtures.ReadBytes("slack/payloads/shortcut.bolt-js.form.txt"));

        Assert.Equal("shortcut", parsed.Value!.Type);
        Assert.Equal("T111", parsed.Value.TeamId);
        Assert.Null(parsed.Value.Request);
    }

    [Fact]
    public void Form_encoded_payload_decodes_to_the_same_json_as_the_decoded_fixture()
    {
        var form = SlackPayloads.ParseForm(Fixtures.ReadBytes("slack/payloads/shortcut.bolt-js.form.txt"));
        var decoded = System.Text.Json.JsonDocument.Parse(Fixtures.ReadText("slack/payloads/shortcut.bolt-js.decoded.json")).RootElement;
        Assert.True(System.Text.Json.JsonElement.DeepEquals(decoded, System.Text.Json.JsonDocument.Parse(form["payload"]).RootElement));
    }

    [Fact]
    public void Url_verification_parses_with_its_challenge()
    {
        var parsed = SlackPayloads.ParseEvent(Fixtures.ReadBytes("slack/payloads/url_verification.bolt-python.json"));
        Assert.Equal("url_verification", parsed.Value!.Type);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", parsed.Value.Challenge);
    }

    [Fact]
    public void Event_callback_parses_with_its_event_id_and_type()
    {
        var parsed = SlackPayloads.ParseEvent(Fixtures.ReadBytes("slack/payloads/event_callback.app_mention.bolt-python.json"));
        Assert.Equal("event_callback", parsed.Value!.Type);
        Assert.Equal("Ev111", parsed.Value.EventId);
        Assert.Equal("app_mention", parsed.Value.EventType);
        Assert.Equal("T111", parsed.Value.TeamId);
        Assert.Equal("C111", SlackPayloads.Str(parsed.Value.Event, "channel"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"type\": 5}")]
    [InlineData("{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[]}")]
    [InlineData("{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[{\"value\":\"x\"}]}")]
    [InlineData("{\"type\":\"block_actions\",\"actions\":[{\"action_id\":\"x\"}]}")]
    [InlineData("{\"type\":\"view_submission\",\"user\":{\"id\":\"U1\"},\"view\":{}}")]
    [InlineData("{\"type\":\"block_actions\",\"user\":\"U1\"")]
    public void Interaction_payloads_missing_what_routing_needs_are_refused(string json)
    {
        var parsed = SlackPayloads.ParseInteraction(json);
        Assert.Null(parsed.Value);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
    }

    [Fact]
    public void Events_body_that_is_not_utf8_is_refused()
    {
        var parsed = SlackPayloads.ParseEvent([0x7b, 0xff, 0xfe, 0x7d]);
        Assert.Null(parsed.Value);
        Assert.Contains("UTF-8", parsed.Error);
    }

    [Fact]
    public void A_copy_of_a_slash_command_without_a_trigger_id_gets_the_same_request_id_and_another_command_a_different_one()
    {
        var form = "command=%2Fsb&text=health&user_id=U1&channel_id=C1&team_id=T1&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1";

        var first = SlackPayloads.ParseSlashCommand(Encoding.UTF8.GetBytes(form)).Value!;
        var copy = SlackPayloads.ParseSlashCommand(Encoding.UTF8.GetBytes(form)).Value!;
        var other = SlackPayloads.ParseSlashCommand(Encoding.UTF8.GetBytes(form.Replace("health", "alarms"))).Value!;

        Assert.Equal(first.Request.RequestId, copy.Request.RequestId);
        Assert.NotEqual(first.Request.RequestId, other.Request.RequestId);
    }

    [Fact]
    public void A_copy_of_a_click_without_an_action_ts_gets_the_same_request_id()
    {
        const string json = """{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"actions":[{"action_id":"approve","value":"chg-1"}]}""";

        Assert.Equal(SlackPayloads.ParseInteraction(json).Value!.Request!.RequestId, SlackPayloads.ParseInteraction(json).Value!.Request!.RequestId);
    }
}
