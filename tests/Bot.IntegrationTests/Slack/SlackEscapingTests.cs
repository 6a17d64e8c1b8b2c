using System.Text.Json;

namespace Bot.IntegrationTests.Slack;

/// <summary>Over signed HTTP: text a user typed comes back escaped, never as a live mention or link.</summary>
public sealed class SlackEscapingTests : IAsyncLifetime
{
    private SlackBot _bot = null!;

    public async Task InitializeAsync() => _bot = await SlackBot.StartAsync(settings => settings["Sandbox:Enabled"] = "true");

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("cost --service <!here>", "AWS cost for `&lt;!here&gt;`")]
    [InlineData("cost --service \"<!channel>\"", "AWS cost for `&lt;!channel&gt;`")]
    [InlineData("logs securebase-prod-user-management --filter \"<@U0EVIL>\"", "filter `&lt;@U0EVIL&gt;`")]
    [InlineData("<!subteam^S0EVIL>", "I don't know `/sb &lt;!subteam^S0EVIL&gt;`")]
    [InlineData("health <https://evil.example|click>", "There is no environment `&lt;https://evil.example|click&gt;`")]
    public async Task A_value_with_slack_markup_is_echoed_escaped_in_a_code_span(string text, string expected)
    {
        var id = "escape-" + Guid.NewGuid().ToString("N")[..8];

        var answer = await _bot.AnswerAsync(text, id);
        var body = answer.GetRawText();
        Assert.Contains(expected, answer.GetProperty("text").GetString());
        foreach (var hostile in new[] { "<!here>", "<!channel>", "<@U0EVIL>", "<!subteam", "<https://evil" })
            Assert.DoesNotContain(hostile, body);
    }
}
