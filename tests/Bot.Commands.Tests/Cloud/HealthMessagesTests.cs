using Bot.Commands.Cloud.Health;
using Bot.Testing.Slack;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Tests.Cloud;

public sealed class HealthMessagesTests
{
    private static HealthReport Report(params ProbeResult[] results) =>
        new("prod", new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(840), results);

    private static Line Detail(string mark, string name, string rest) => Line.Of(mark + " ", Code(name), rest);

    /// <summary>The text of the n-th block (a section of text).</summary>
    private static string Section(ChatMessage message, int index) => ((TextBlock)message.Blocks[index]).Text.ToPlainText();

    [Fact]
    public void All_green_says_so_first()
    {
        var message = HealthMessages.Build(Report(ProbeResult.Ok("Tables", "all 3 ACTIVE", [Detail("✅", "t", " ACTIVE")]), ProbeResult.Ok("Alarms", "no alarms in ALARM")));

        Assert.StartsWith("✅ SecureBase prod health: all green", message.Main.Text.ToPlainText());
        Assert.Equal(Strong("✅ SecureBase prod health: all green"), Assert.Single(((TextBlock)message.Main.Blocks[0]).Text.Spans));
        Assert.False(message.Main.Ephemeral);
        Assert.Empty(message.ThreadDetails);
        Assert.Contains("✅ t ACTIVE", Section(message.Main, 2));
        Assert.Contains("✅ `t` ACTIVE", message.Main.AsSlack().Blocks.OfType<Bot.Integrations.Slack.BlockKit.SectionBlock>().ElementAt(1).Text!.Text);
    }

    [Fact]
    public void Warnings_and_failures_are_counted_in_the_summary_line()
    {
        var message = HealthMessages.Build(Report(
            ProbeResult.Warning("Logs", "12 ERROR lines"),
            ProbeResult.Warning("Alarms", "1 alarm in ALARM"),
            ProbeResult.Failed("Functions", "access denied (AccessDeniedException)")));

        Assert.StartsWith("❌ SecureBase prod health: 1 failure, 2 warnings", message.Main.Text.ToPlainText());
        Assert.Contains("❌ Functions: access denied (AccessDeniedException)", message.Main.Text.ToPlainText());
    }

    [Fact]
    public void Details_that_do_not_fit_go_to_the_thread_and_the_main_message_keeps_the_problems()
    {
        var lines = Enumerable.Range(0, 40)
            .Select(i => i < 2 ? Detail("⚠️", $"securebase-prod-fn{i}", $": {i + 1} ERROR lines") : Detail("✅", $"securebase-prod-fn{i}", ": 0 ERROR lines")).ToList();
        var message = HealthMessages.Build(Report(ProbeResult.Warning("Error logs", "3 ERROR lines", lines)));

        Assert.NotEmpty(message.ThreadDetails);
        var section = Section(message.Main, 2);
        Assert.Contains("fn0", section);
        Assert.DoesNotContain("fn39", section);
        Assert.Contains(message.ThreadDetails, m => m.Text.ToPlainText().Contains("fn39", StringComparison.Ordinal));
        Assert.All(message.ThreadDetails.SelectMany(m => m.AsSlack().Blocks).OfType<Bot.Integrations.Slack.BlockKit.SectionBlock>(),
            b => Assert.True(b.Text!.Text.Length <= 3000));
    }
}
