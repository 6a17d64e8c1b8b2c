using Bot.Shell;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Tests.Shell;

/// <summary>
/// The shell prints the neutral message model as it always printed Slack's messages: the characters of Slack's markup
/// without its escaping, mentions as <c>@name</c>, links as <c>label (url)</c>, cards with numbered buttons.
/// </summary>
public class ShellRendererTests
{
    private readonly List<ShellButtonAction> _buttons = [];

    private ShellRenderer Renderer(bool ansi = false) =>
        new(ansi, id => id == "UALICE" ? "alice" : null, b =>
        {
            _buttons.Add(b);
            return _buttons.Count;
        });

    [Fact]
    public void A_message_without_blocks_shows_its_text_indented()
    {
        Assert.Equal("  plain answer\n  second line\n", Renderer().Render(ChatMessage.EphemeralText("plain answer\nsecond line")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Blocks_show_instead_of_the_text_headings_underlined()
    {
        var text = Renderer().Render(ChatMessage.InChannel("fallback", [
            new HeadingBlock("Health"),
            new TextBlock(Line.Of(Strong("Store"), ": sqlite")),
            new LinesBlock([Line.Of("one"), Line.Of("two")]),
            new NoteBlock("Checked at 14:00"),
        ]));

        Assert.Equal("  Health\n  ======\n  *Store*: sqlite\n  one\n  two\n  Checked at 14:00\n", text.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("<!here> & <@U1>", "<!here> & <@U1>")]
    [InlineData("5 &lt; 6", "5 &lt; 6")]
    public void Text_shows_as_the_person_typed_it(string typed, string shown) =>
        Assert.Equal(shown, Renderer().Text(Line.Of(typed)));

    [Fact]
    public void Spans_show_as_the_characters_of_slacks_markup()
    {
        var line = Line.Of(Emoji("mag"), " ", Code("v7`x"), " ", Strong(" PROD "), " ", Emphasis("storm"), " ", User("UALICE", "Alice Chen"), " ",
            User("U999", "Bob"), " ", User("not-an-id", "carol"), " ", Group("S0SRE", "sre"), " ", Channel("C0OPS"), " ",
            Link("https://status.example/a|b", "status|page"), " ", Link("javascript:alert(1)", "this"), " ",
            Time(new DateTimeOffset(2026, 11, 30, 14, 15, 0, TimeSpan.Zero)), " ", Code(""), Template("/sb logs <function>"));

        Assert.Equal(":mag: `v7ˋx`  *PROD*  _storm_ @alice @U999 @carol @subteam #C0OPS status¦page (https://status.example/a%7Cb) this (javascript:alert(1)) " +
            "2026-11-30 14:15 UTC `/sb logs <function>`", Renderer().Text(line));
    }

    [Fact]
    public void Preformatted_text_is_fenced_and_cannot_close_its_fence()
    {
        Assert.Equal("Log tail\n```\nkey ˋˋˋ & <@U1>\n```", Renderer().Text(Line.Of("Log tail\n", Preformatted("key ``` & <@U1>"))));
    }

    [Fact]
    public void Control_characters_never_reach_the_terminal()
    {
        Assert.Equal("[2Jcleared", Renderer().Text(Line.Of("\u001b[2Jcleared")));
    }

    [Fact]
    public void A_card_shows_its_title_status_fields_details_footer_and_numbered_buttons()
    {
        var card = new Card
        {
            Title = "Change CHG-7",
            Tone = CardTone.Waiting,
            Status = Line.Of("Waiting for ", User("UALICE", "alice")),
            Fields = [new CardField("Alias", Line.Of(Code("PROD"), " → ", Code("8")))],
            Details = [Line.Of(Strong("Why:"), " ship it")],
            Footer = ["Digest 18f1", "requested 14:00"],
            Buttons = [new CardButton("Approve", "Approve", ButtonStyle.Primary, Confirm: "Sure?"), new CardButton("Reject", "Reject", ButtonStyle.Danger),
                CardButton.RunsCommand("Logs", "logs user-management")],
            Ref = new CardRef("change", "CHG-7", 4),
        };

        var text = Renderer().Render(ChatContent.Of(card));

        Assert.Equal("""
              :hourglass_flowing_sand: *Change CHG-7*
              Waiting for @alice
              • *Alias*
              `PROD` → `8`
              *Why:* ship it
              Digest 18f1  ·  requested 14:00
              [1] Approve (primary) (asks to confirm)   [2] Reject (danger)   [3] Logs

            """, text.ReplaceLineEndings("\n"));
        Assert.Equal(["wf:change:Approve", "wf:change:Reject", "wf-command-1"], _buttons.Select(b => b.ActionId));
        Assert.All(_buttons, b => Assert.Equal("wf:CHG-7:4", b.BlockId));
        Assert.Equal("logs user-management", _buttons[2].Value);
        Assert.Equal(4, Bot.Integrations.Slack.ButtonPayload.TryParse(_buttons[0].Value)!.Version);
    }

    [Fact]
    public void A_workflow_message_without_a_card_shows_its_text()
    {
        Assert.Equal("  @alice approved.\n", Renderer().Render(new ChatContent(Line.Of(User("UALICE", "alice"), " approved."))).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void With_a_terminal_headings_are_styled_notes_dimmed_and_buttons_coloured()
    {
        var renderer = Renderer(ansi: true);

        var text = renderer.Render(ChatMessage.InChannel("x", [new HeadingBlock("Health"), new NoteBlock("small print")]));
        var card = renderer.Render(ChatContent.Of(new Card { Title = "T", Buttons = [new CardButton("Go", "Go", ButtonStyle.Primary)], Ref = new CardRef("t", "1", 1) }));

        Assert.Contains("\u001b[1;4mHealth\u001b[0m", text);
        Assert.DoesNotContain("===", text);
        Assert.Contains("\u001b[2msmall print\u001b[0m", text);
        Assert.Contains("\u001b[32m[1] Go (primary)\u001b[0m", card);
    }
}
