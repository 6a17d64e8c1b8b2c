using System.Net;
using System.Text.Json;
using Bot.IntegrationTests.Slack;

namespace Bot.IntegrationTests.Cloud;

/// <summary>
/// The done-when of the cloud commands: signed <c>/sb</c> requests to the server, answered from the
/// in-process sandbox account over SigV4-signed HTTP, with the results posted through response_url.
/// </summary>
public sealed class CloudCommandsOverSlackTests : IAsyncLifetime
{
    private SlackBot _bot = null!;

    public async Task InitializeAsync() => _bot = await SlackBot.StartAsync(settings => settings["Sandbox:Enabled"] = "true");

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("health", "SecureBase prod health:")]
    [InlineData("logs securebase-prod-user-management --filter ERROR --since 1d", "matching lines in `securebase-prod-user-management`")]
    [InlineData("alarms", "prod: ")]
    [InlineData("cost --period 30d", "AWS cost, last 30 days")]
    [InlineData("invoke user-management --env staging --payload '{\"path\":\"/health\"}'", "Invoked `securebase-staging-user-management:PROD`")]
    public async Task A_signed_command_is_acknowledged_at_once_and_answered_in_channel_through_response_url(string text, string expected)
    {
        var id = "cloud-" + text.Split(' ')[0];

        using var ack = await _bot.SlashCommandAsync(text, id);

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var followUp = Assert.Single(await _bot.Slack.WaitForAsync(r => r.Path == $"/response/{id}"));
        var body = JsonDocument.Parse(followUp.Body).RootElement;
        Assert.True(body.GetProperty("response_type").GetString() == "in_channel", body.GetProperty("text").GetString());
        Assert.Contains(expected, body.GetProperty("text").GetString());
        Assert.True(body.GetProperty("blocks").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("health qa", "There is no environment `qa`")]
    [InlineData("invoke securebase-prod-user-management", "I don't invoke production functions")]
    public async Task A_refused_command_gets_an_ephemeral_answer_through_response_url(string text, string expected)
    {
        var id = "refused-" + text.Split(' ')[0];

        using var ack = await _bot.SlashCommandAsync(text, id);

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var followUp = Assert.Single(await _bot.Slack.WaitForAsync(r => r.Path == $"/response/{id}"));
        var body = JsonDocument.Parse(followUp.Body).RootElement;
        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Contains(expected, body.GetProperty("text").GetString());
    }
}
