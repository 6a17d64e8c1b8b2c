using System.Net;
using System.Text;
using System.Text.Json;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Slack;

/// <summary>Requests whose shape is wrong: a body type Slack never sends, a method a probe does not take, a command cut short.</summary>
public class SlackRequestShapeTests
{
    [Theory]
    [InlineData("/slack/commands", "text/plain")]
    [InlineData("/slack/commands", "application/json")]
    [InlineData("/slack/interactions", "text/plain")]
    [InlineData("/slack/events", "application/x-www-form-urlencoded")]
    public async Task A_signed_body_labelled_with_a_type_slack_never_sends_there_gets_415_and_nothing_runs(string path, string contentType)
    {
        await using var bot = await SlackBot.StartAsync();
        var form = SlackRequestSigner.SlashCommandForm("whoami", bot.Slack.ResponseUrl("mislabelled"));

        using var response = await bot.SendAsync(bot.Signer.SignedPost(path, Encoding.UTF8.GetBytes(form), contentType));
        await bot.BarrierAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.DoesNotContain(bot.Slack.Requests, r => r.Path == "/response/mislabelled");
    }

    [Fact]
    public async Task A_form_with_a_charset_parameter_is_still_a_form()
    {
        await using var bot = await SlackBot.StartAsync();
        var form = SlackRequestSigner.SlashCommandForm("whoami", bot.Slack.ResponseUrl("charset"));

        using var response = await bot.SendAsync(bot.Signer.SignedPost("/slack/commands", Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/charset"));
    }

    [Theory]
    [InlineData("PUT", "/healthz")]
    [InlineData("POST", "/healthz")]
    [InlineData("DELETE", "/readyz")]
    public async Task A_probe_answers_only_get_and_head(string method, string path)
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var head = await bot.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task A_lone_quote_as_the_filter_is_refused_instead_of_showing_unfiltered_lines()
    {
        await using var bot = await SlackBot.StartAsync(settings => settings["Sandbox:Enabled"] = "true");

        var answer = await bot.AnswerAsync("logs securebase-prod-user-management --filter \"", "lone-quote");
        Assert.Equal("ephemeral", answer.GetProperty("response_type").GetString());
        Assert.Contains("quote", answer.GetProperty("text").GetString());
        Assert.DoesNotContain("matching lines", answer.GetProperty("text").GetString());
    }
}
