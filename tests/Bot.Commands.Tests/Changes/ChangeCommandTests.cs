using Bot.Commands.Changes;
using Bot.Integrations.Slack.BlockKit;
using Bot.Testing.Slack;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;

namespace Bot.Commands.Tests.Changes;

/// <summary><c>/sb change &lt;id&gt;</c>: the change's card without its buttons, then its history.</summary>
public sealed class ChangeCommandTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    private static Change Requested() => Change.Request("CHG-261130-K3FQ", new ChangeData
    {
        Spec = new ChangeSpec
        {
            Kind = ChangeKind.Deploy, Environment = "prod", Function = "securebase-prod-user-management", FromVersion = "7", ToVersion = "8",
            FromCodeSha256 = "sha-seven", ToCodeSha256 = "sha-eight",
        },
        Channel = "C0OPS", RequesterId = "U0ANA", RequesterName = "ana <!here>", Reason = "ship <!here> & 1.8.0", RequestedAt = At, ExpiresAt = At.AddHours(24),
        Approvals = [new ApprovalRecord("U0BOB", "bob", ["approver"], At.AddMinutes(5), "abcdef1234567890")],
    });

    [Fact]
    public void A_change_shows_its_card_without_buttons_and_its_history()
    {
        var message = ChangeCommand.Show(Requested(), At.AddMinutes(10));

        Assert.True(message.Ephemeral);
        var card = Assert.IsType<CardBlock>(message.Blocks[0]).Card;
        Assert.Empty(card.Buttons);
        Assert.Equal(card.ToPlainText(), message.Text.ToPlainText());
        var history = Assert.IsType<TextBlock>(message.Blocks[1]).Text.ToPlainText();
        Assert.Equal("History\n• 2026-11-30 14:00 UTC requested by @ana <!here> (Standard): ship <!here> & 1.8.0\n" +
            "• 2026-11-30 14:05 UTC approved by @bob (approver), digest abcdef123456", history);
    }

    [Fact]
    public void Slack_gets_the_history_escaped_in_the_section_it_always_had()
    {
        var slack = ChangeCommand.Show(Requested(), At.AddMinutes(10)).AsSlack();

        Assert.Equal("*History*\n• 2026-11-30 14:00 UTC requested by @ana &lt;!here&gt; (Standard): ship &lt;!here&gt; &amp; 1.8.0\n" +
            "• 2026-11-30 14:05 UTC approved by @bob (approver), digest `abcdef123456`", ((SectionBlock)slack.Blocks[^1]).Text!.Text);
        Assert.DoesNotContain(slack.Blocks, b => b is ActionsBlock);
    }
}
