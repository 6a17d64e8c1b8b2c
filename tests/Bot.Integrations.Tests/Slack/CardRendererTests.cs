using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;
using FsCheck;
using FsCheck.Fluent;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Integrations.Tests.Slack;

/// <summary>Cards become Block Kit; text from anywhere is escaped; only typed spans become Slack control sequences.</summary>
public sealed class CardRendererTests
{
    [Theory]
    [InlineData("<!here>", "&lt;!here&gt;")]
    [InlineData("<!channel> now", "&lt;!channel&gt; now")]
    [InlineData("<@U0ADMIN>", "&lt;@U0ADMIN&gt;")]
    [InlineData("<!subteam^S0SRE>", "&lt;!subteam^S0SRE&gt;")]
    [InlineData("<https://evil.example|click>", "&lt;https://evil.example|click&gt;")]
    [InlineData("a & b", "a &amp; b")]
    public void Plain_text_is_escaped_so_it_never_pings_or_links(string text, string expected) =>
        Assert.Equal(expected, SlackMrkdwn.Render(Line.Of(text)));

    [Fact]
    public void Typed_spans_become_mentions_code_and_checked_links()
    {
        var line = Line.Of(User("U0ANA", "ana"), " moved ", Code("v7`x"), " see ", Link("https://console.aws.amazon.com/?a=1&b=2", "console"),
            " and ", Link("javascript:alert(1)", "this"), " by ", User("not-an-id", "<!here>"));

        Assert.Equal("<@U0ANA> moved `v7ˋx` see <https://console.aws.amazon.com/?a=1&amp;b=2|console> and this (javascript:alert(1)) by @&lt;!here&gt;",
            SlackMrkdwn.Render(line));
    }

    [Fact]
    public void No_text_from_a_span_can_open_a_slack_control_sequence()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), text =>
        {
            var s = text.Get;
            var rendered = SlackMrkdwn.Render(Line.Of(s, Code(s), Strong(s), User("x", s), Group("y", s)));
            return !rendered.Contains('<') && !rendered.Contains('>');
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_card_renders_title_status_fields_footer_and_versioned_buttons()
    {
        var card = new Card
        {
            Title = "Change CHG-7",
            Tone = CardTone.Waiting,
            Status = Line.Of("1 of 2 approvals"),
            Fields = [new CardField("Alias", Line.Of(Code("PROD"), " ", Code("7"), " → ", Code("8")))],
            Footer = [Line.Of("Expires ", Time(new DateTimeOffset(2026, 11, 23, 14, 2, 0, TimeSpan.Zero)))],
            Buttons = [new CardButton("Approve", "Approve", ButtonStyle.Primary), new CardButton("Reject", "Reject", ButtonStyle.Danger, Confirm: "Reject it?", AskFor: "a reason")],
            Ref = new CardRef("change", "CHG-7", 4),
        };

        var (text, blocks) = CardRenderer.Render(ChatContent.Of(card));

        Assert.Equal("Change CHG-7: 1 of 2 approvals", text);
        Assert.Equal(":hourglass_flowing_sand: *Change CHG-7*\n1 of 2 approvals", ((SectionBlock)blocks[0]).Text!.Text);
        Assert.Equal("*Alias*\n`PROD` `7` → `8`", ((SectionBlock)blocks[1]).Fields![0].Text);
        Assert.StartsWith("Expires <!date^1795442520^", ((ContextBlock)blocks[2]).Elements[0].Text);
        var buttons = ((ActionsBlock)blocks[3]).Elements.Cast<ButtonElement>().ToList();
        Assert.Equal(["wf:change:Approve", "wf:change:Reject"], buttons.Select(b => b.ActionId));
        Assert.Equal(new ButtonPayload("change", "CHG-7", "Reject", 4, "a reason"), ButtonPayload.TryParse(buttons[1].Value));
        Assert.Equal(("danger", "Reject it?"), (buttons[1].Style, buttons[1].Confirm!.Text.Text));
    }

    [Fact]
    public void A_card_without_a_version_shows_no_buttons()
    {
        var (_, blocks) = CardRenderer.Render(ChatContent.Of(new Card { Title = "x", Buttons = [new CardButton("Go", "Go")] }));

        Assert.DoesNotContain(blocks, b => b is ActionsBlock);
    }

    [Fact]
    public void A_command_button_needs_no_card_reference_and_carries_its_command()
    {
        var card = new Card
        {
            Title = "Diagnostics",
            Buttons = [CardButton.RunsCommand("Request a rollback change", "rollback user-management --incident Q1", ButtonStyle.Danger, "Request it?")],
        };

        var (_, blocks) = CardRenderer.Render(ChatContent.Of(card));

        var button = (ButtonElement)Assert.IsType<ActionsBlock>(blocks[^1]).Elements[0];
        Assert.Equal(("wf-command-1", "rollback user-management --incident Q1", "danger"), (button.ActionId, button.Value, button.Style));
        Assert.NotNull(button.Confirm);
    }

    [Fact]
    public void Trigger_buttons_are_left_out_of_a_card_without_a_reference()
    {
        var (_, blocks) = CardRenderer.Render(ChatContent.Of(new Card { Title = "Runbook", Buttons = [new CardButton("Approve", "Approve")] }));

        Assert.DoesNotContain(blocks, b => b is ActionsBlock);
    }
}
