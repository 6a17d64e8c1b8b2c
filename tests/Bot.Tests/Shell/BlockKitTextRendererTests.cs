using Bot.Testing;
using Bot.Tests;
using Bot.Shell;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Tests.Shell;

public class BlockKitTextRendererTests
{
    private readonly List<RenderedButton> _buttons = [];

    private BlockKitTextRenderer Renderer(bool ansi = false) =>
        new(ansi, id => id == "UALICE" ? "alice" : null, b =>
        {
            _buttons.Add(b);
            return _buttons.Count;
        });

    [Fact]
    public void A_message_without_blocks_shows_its_text()
    {
        Assert.Equal("  plain answer\n  second line\n", Renderer().Render("plain answer\nsecond line", []).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Images_show_their_title_alt_text_and_url()
    {
        var text = Renderer().Render("", [new ImageBlock { ImageUrl = "https://example.com/c.png", AltText = "cost chart", Title = TextObject.Plain("Cost") }]);
        Assert.Contains("[image] Cost: cost chart <https://example.com/c.png>", text);
    }

    [Fact]
    public void Buttons_in_a_section_accessory_are_numbered_with_their_block()
    {
        var text = Renderer().Render("", [new SectionBlock { BlockId = "b1", Text = TextObject.Markdown("Alarm"), Accessory = ButtonElement.Create("ack", "Acknowledge", "inc-1") }]);
        Assert.Contains("[1] Acknowledge", text);
        Assert.Equal("b1", Assert.Single(_buttons).BlockId);
        Assert.Equal("ack", _buttons[0].Element.ActionId);
    }

    [Fact]
    public void Link_buttons_are_not_numbered()
    {
        var text = Renderer().Render("", [new ActionsBlock { Elements = [new ButtonElement { Text = TextObject.Plain("Runbook"), Url = "https://wiki/x" }] }]);
        Assert.Contains("[link] Runbook <https://wiki/x>", text);
        Assert.Empty(_buttons);
    }

    [Fact]
    public void Buttons_that_ask_for_confirmation_say_so()
    {
        var text = Renderer().Render("", [new ActionsBlock { Elements = [ButtonElement.Create("rollback", "Roll back", style: "danger", confirm: new ConfirmDialog())] }]);
        Assert.Contains("[1] Roll back (danger) (asks to confirm)", text);
    }

    [Theory]
    [InlineData("<@UALICE> approved", "@alice approved")]
    [InlineData("<@U999> approved", "@U999 approved")]
    [InlineData("see <https://status.example|status page>", "see status page (https://status.example)")]
    [InlineData("see <https://status.example>", "see https://status.example")]
    [InlineData("in <#C123|securebase-ops>", "in #securebase-ops")]
    [InlineData("<!here> heads up", "@here heads up")]
    [InlineData("`/sb help <command>` &amp; more", "`/sb help <command>` & more")]
    [InlineData("5 &lt; 6", "5 < 6")]
    public void Slack_markup_becomes_readable_text(string mrkdwn, string expected)
    {
        Assert.Equal(expected, Renderer().Mrkdwn(mrkdwn));
    }

    [Fact]
    public void Control_characters_from_handlers_never_reach_the_terminal()
    {
        Assert.Equal("[2Jcleared", Renderer().Mrkdwn("\u001b[2Jcleared"));
    }

    [Fact]
    public void With_a_terminal_the_header_is_styled_instead_of_underlined()
    {
        var text = Renderer(ansi: true).Render("", [HeaderBlock.Of("Health")]);
        Assert.Contains("\u001b[1;4mHealth\u001b[0m", text);
        Assert.DoesNotContain("===", text);
    }
}
