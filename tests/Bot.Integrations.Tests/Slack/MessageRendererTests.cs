using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Integrations.Tests.Slack;

/// <summary>
/// The neutral message model becomes the Block Kit Slack has always received: text escaped once, typed spans as mrkdwn,
/// headings as headers, text as sections, notes as context, cards as the card renderer draws them, forms as modals.
/// </summary>
public sealed class MessageRendererTests
{
    private static string Json(IReadOnlyList<Block> blocks) => BlockKitJson.Serialize(blocks);

    [Fact]
    public void A_text_answer_is_escaped_mrkdwn_without_blocks()
    {
        var slack = MessageRenderer.Render(ChatMessage.EphemeralText(Line.Of(Emoji("mag"), " I follow no incident ", Value("<!here> & `x`"), ". ",
            Code("/sb incidents"), " lists the open ones.")));

        Assert.Equal(":mag: I follow no incident `&lt;!here&gt; &amp; ˋxˋ`. `/sb incidents` lists the open ones.", slack.Text);
        Assert.Empty(slack.Blocks);
        Assert.True(slack.Ephemeral);
        Assert.False(slack.ReplaceOriginal);
    }

    [Fact]
    public void Headings_lines_and_notes_become_header_section_and_context_blocks()
    {
        var slack = MessageRenderer.Render(ChatMessage.InChannel("overview", [
            new HeadingBlock("SecureBase ops bot"),
            new LinesBlock([Line.Of(Code("/sb logs <function>"), "  Newest log lines."), Line.Of(Code("/sb whoami"), "  Who you are.")]),
            new NoteBlock(Line.Of(Code("/sb help <command>"), " shows options and examples.")),
        ]));

        Assert.Equal("overview", slack.Text);
        Assert.False(slack.Ephemeral);
        Assert.Equal("""[{"type":"header","text":{"type":"plain_text","text":"SecureBase ops bot","emoji":true}},""" +
            """{"type":"section","text":{"type":"mrkdwn","text":"`/sb logs &lt;function&gt;`  Newest log lines.\n`/sb whoami`  Who you are."}},""" +
            """{"type":"context","elements":[{"type":"mrkdwn","text":"`/sb help &lt;command&gt;` shows options and examples."}]}]""", Json(slack.Blocks));
    }

    [Fact]
    public void Lines_longer_than_a_section_take_as_many_sections_as_they_need_whole_lines_each()
    {
        var lines = Enumerable.Range(0, 100).Select(i => Line.Of($"line {i:D3} ", new string('x', 50))).ToList();

        var sections = MessageRenderer.Render(ChatMessage.InChannel("x", [new LinesBlock(lines)])).Blocks.Cast<SectionBlock>().ToList();

        Assert.Equal(2, sections.Count);
        Assert.All(sections, s => Assert.True(s.Text!.Text.Length <= SlackMessageLimits.MaxSectionText));
        Assert.StartsWith("line 050 ", sections[1].Text!.Text);
        Assert.Equal(string.Join('\n', lines.Select(SlackMrkdwn.Render)), string.Join('\n', sections.Select(s => s.Text!.Text)));
    }

    [Fact]
    public void A_section_with_a_bound_is_cut_where_its_mrkdwn_passes_it()
    {
        var slack = MessageRenderer.Render(ChatMessage.InChannel("x", [new TextBlock(Line.Of("a & b & c")) { MaxLength = 7 }]));

        Assert.Equal("a &amp;…", ((SectionBlock)slack.Blocks[0]).Text!.Text);
    }

    [Fact]
    public void Preformatted_text_is_fenced_escaped_and_cannot_close_its_fence()
    {
        var line = Line.Of(Strong("Log tail"), "\n", Preformatted("START\nkey ``` & <@U123>\nEND"));

        Assert.Equal("*Log tail*\n```\nSTART\nkey ˋˋˋ &amp; &lt;@U123&gt;\nEND\n```", SlackMrkdwn.Render(line));
    }

    [Theory]
    [InlineData("storm, no thread", "_storm, no thread_")]
    [InlineData(" padded ", " _padded_ ")]
    public void Emphasis_is_italics_with_its_spaces_outside(string text, string expected) =>
        Assert.Equal(expected, SlackMrkdwn.Render(Line.Of(Emphasis(text))));

    [Theory]
    [InlineData("C0OPS", "<#C0OPS>")]
    [InlineData("shell", "<#shell>")]
    [InlineData("<!here>", "#&lt;!here&gt;")]
    public void A_channel_is_a_link_to_it_when_its_id_is_one(string id, string expected) =>
        Assert.Equal(expected, SlackMrkdwn.Render(Line.Of(Channel(id))));

    [Fact]
    public void The_bots_own_placeholders_go_to_slack_as_written()
    {
        var line = Line.Of("Test in staging (", Template("/sb invoke <function> --env staging"), "); ", AsWritten("set PagerDuty__RoutingKeys__<service>"));

        Assert.Equal("Test in staging (`/sb invoke <function> --env staging`); set PagerDuty__RoutingKeys__<service>", SlackMrkdwn.Render(line));
    }

    [Fact]
    public void A_card_in_a_message_is_drawn_as_the_card_renderer_draws_it()
    {
        var card = new Card
        {
            Title = "Incident #1",
            Tone = CardTone.Bad,
            Status = "Triggered",
            Buttons = [new CardButton("Acknowledge", "Acknowledge", ButtonStyle.Primary)],
            Ref = new CardRef("incident", "Q1", 3),
        };

        var slack = MessageRenderer.Render(new ChatMessage { Text = card.ToPlainText(), Blocks = [new CardBlock(card), new NoteBlock("a storm")] });

        Assert.Equal("Incident #1: Triggered", slack.Text);
        Assert.Equal(Json([.. CardRenderer.Blocks(card), ContextBlock.Markdown("a storm")]), Json(slack.Blocks));
    }

    [Fact]
    public void A_form_becomes_a_modal_with_an_input_block_per_field()
    {
        var view = FormRenderer.Render(new Form
        {
            CallbackId = "change.new",
            Title = "Change request",
            Submit = "Request",
            Close = "Cancel",
            PrivateMetadata = "{}",
            Fields =
            [
                new ChoiceField("environment", "Environment", ["prod", "staging"]),
                new TextField("title", "Title") { Placeholder = "Deploy 1.8.0" },
                new TextField("why", "Why") { Multiline = true, Optional = true, ActionId = "text" },
            ],
        });

        var expected = """
            {"type":"modal","callback_id":"change.new","title":{"type":"plain_text","text":"Change request","emoji":true},
            "submit":{"type":"plain_text","text":"Request","emoji":true},"close":{"type":"plain_text","text":"Cancel","emoji":true},"blocks":[
            {"type":"input","label":{"type":"plain_text","text":"Environment","emoji":true},"element":{"type":"static_select",
            "options":[{"text":{"type":"plain_text","text":"prod","emoji":true},"value":"prod"},{"text":{"type":"plain_text","text":"staging","emoji":true},"value":"staging"}],
            "initial_option":{"text":{"type":"plain_text","text":"prod","emoji":true},"value":"prod"},"action_id":"value"},"block_id":"environment"},
            {"type":"input","label":{"type":"plain_text","text":"Title","emoji":true},"element":{"type":"plain_text_input",
            "placeholder":{"type":"plain_text","text":"Deploy 1.8.0","emoji":true},"action_id":"value"},"block_id":"title"},
            {"type":"input","label":{"type":"plain_text","text":"Why","emoji":true},"element":{"type":"plain_text_input","multiline":true,"action_id":"text"},
            "optional":true,"block_id":"why"}],"private_metadata":"{}"}
            """.ReplaceLineEndings("");
        Assert.Equal(expected,
            System.Text.Json.JsonSerializer.Serialize(view, BlockKitJson.Options));
    }
}
