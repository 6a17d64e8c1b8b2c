using Bot.Integrations.Aws.Logs;
using Bot.Commands.Cloud.Logs;
using Bot.Integrations.Slack.BlockKit;
using Bot.Testing.Slack;
using Bot.Workflows.Messages;

namespace Bot.Commands.Tests.Cloud;

public sealed class LogsMessageTests
{
    /// <summary>The log lines as the command wrote them: the one preformatted span of the message.</summary>
    private static string Preformatted(ChatMessage message) =>
        message.Blocks.OfType<TextBlock>().SelectMany(b => b.Text.Spans).OfType<PreformattedSpan>().Single().Text;

    private static FilteredLogEvent Event(int minute, string message) =>
        new() { Timestamp = new DateTimeOffset(2026, 11, 22, 10, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), Message = message };

    [Fact]
    public void The_newest_lines_are_shown_redacted_oldest_first_with_a_count_of_the_rest()
    {
        var events = Enumerable.Range(0, 30).Select(i => Event(i, $"ERROR request {i} failed for bob@example.com with key AKIAIOSFODNN7EXAMPLE")).ToList();

        var message = LogsCommand.Build("securebase-prod-user-management", "prod", TimeSpan.FromHours(1), "ERROR", new LogSearchResult(events, Truncated: false));

        var code = Preformatted(message);
        var lines = code.Split('\n');
        Assert.Equal(LogsCommand.ShownLines, lines.Length);
        Assert.Contains("request 10 failed", lines[0]);
        Assert.Contains("request 29 failed", lines[^1]);
        Assert.DoesNotContain("bob@example.com", code);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", code);
        Assert.Contains("…and 10 more matching lines.", message.Text.ToPlainText());
        Assert.DoesNotContain("http", message.Text.ToPlainText());
        Assert.False(message.Ephemeral);
    }

    [Fact]
    public void A_capped_search_says_more_than()
    {
        var events = Enumerable.Range(0, 25).Select(i => Event(i, "ERROR x")).ToList();

        var message = LogsCommand.Build("f", "prod", TimeSpan.FromHours(1), null, new LogSearchResult(events, Truncated: true));

        Assert.Contains("of more than 25 matching lines", message.Text.ToPlainText());
        Assert.Contains("…and more than 5 other matching lines.", message.Text.ToPlainText());
    }

    [Fact]
    public void Backticks_in_log_lines_cannot_break_out_of_the_code_block()
    {
        var message = LogsCommand.Build("f", "prod", TimeSpan.FromHours(1), null, new LogSearchResult([Event(1, "ERROR ```\n*bold* <!channel>")], false));

        var code = message.AsSlack().Blocks.OfType<SectionBlock>().Single(b => b.Text!.Text.StartsWith("```", StringComparison.Ordinal)).Text!.Text;
        Assert.Equal(2, code.Split("```").Length - 1);
        Assert.Contains("&lt;!channel&gt;", code);
    }

    [Fact]
    public void Nothing_matched_says_so()
    {
        var message = LogsCommand.Build("f", "prod", TimeSpan.FromMinutes(15), "Timeout", new LogSearchResult([], false));
        Assert.Equal("No log lines matched in `f` (prod), last 15m, filter `Timeout`.", message.Text.AsMrkdwn());
    }
}
