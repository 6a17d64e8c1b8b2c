using System.Net;
using System.Text;
using System.Text.Json;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Slack;

public class SlackCommandEndpointTests
{
    [Fact]
    public async Task Signed_sb_help_is_answered_in_the_ack_as_bolts_ack_text_and_nothing_else_is_sent()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SlashCommandAsync("help", "help-1");
        await bot.BarrierAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Contains("/sb help [command]", body.GetProperty("text").GetString());
        Assert.Equal("header", body.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.DoesNotContain(bot.Slack.Requests, r => r.Path == "/response/help-1");
    }

    [Fact]
    public async Task A_command_that_needs_its_handler_is_acknowledged_empty_and_answered_through_the_response_url()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SlashCommandAsync("whoami", "whoami-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var followUp = JsonDocument.Parse(Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/whoami-1")).Body).RootElement;
        Assert.Equal("ephemeral", followUp.GetProperty("response_type").GetString());
    }

    [Fact]
    public async Task A_forged_sb_help_gets_401_and_nothing_reaches_slack()
    {
        await using var bot = await SlackBot.StartAsync();
        var forger = new SlackRequestSigner("not-the-signing-secret");

        using var forged = await bot.SendAsync(forger.Form("/slack/commands", SlackRequestSigner.SlashCommandForm("help", bot.Slack.ResponseUrl("forged"))));
        await bot.BarrierAsync("genuine");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.DoesNotContain(bot.Slack.Requests, r => r.Path == "/response/forged");
    }

    [Fact]
    public async Task A_tampered_body_gets_401_and_nothing_runs()
    {
        await using var bot = await SlackBot.StartAsync();
        var request = bot.Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm("help", bot.Slack.ResponseUrl("tampered")));
        var body = await request.Content!.ReadAsByteArrayAsync();
        body[^1] ^= 0x01;
        var tampered = SlackRequestSigner.UnsignedPost("/slack/commands", body, "application/x-www-form-urlencoded");
        foreach (var header in request.Headers) tampered.Headers.TryAddWithoutValidation(header.Key, header.Value);

        using var response = await bot.SendAsync(tampered);
        await bot.BarrierAsync("after");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(bot.Slack.Requests);
    }

    [Fact]
    public async Task A_correctly_signed_request_with_a_stale_timestamp_gets_401()
    {
        await using var bot = await SlackBot.StartAsync();
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/commands",
            SlackRequestSigner.SlashCommandForm("help", bot.Slack.ResponseUrl("stale")), tenMinutesAgo));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/interactions")]
    [InlineData("/slack/events")]
    public async Task A_request_without_signature_headers_gets_401(string path)
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(SlackRequestSigner.UnsignedPost(path, "text=help"u8.ToArray(), "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_command_from_another_workspace_gets_403_and_nothing_runs()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SlashCommandAsync("help", "elsewhere", teamId: "T0OTHER");
        await bot.BarrierAsync("ours");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another Slack workspace", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(bot.Slack.Requests, r => r.Path == "/response/elsewhere");
    }

    [Fact]
    public async Task Another_slash_command_is_answered_that_only_sb_is_handled()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/commands",
            SlackRequestSigner.SlashCommandForm("help", bot.Slack.ResponseUrl("other"), command: "/deploy")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Contains("/sb", body.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("text=help")]
    [InlineData("")]
    [InlineData("%%%&&&===")]
    public async Task A_signed_but_unusable_form_gets_400_with_a_reason(string form)
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.SignedPost("/slack/commands", Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Missing form field", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_larger_than_slack_ever_sends_is_refused_with_413()
    {
        await using var bot = await SlackBot.StartAsync();
        var huge = Encoding.UTF8.GetBytes("text=" + new string('a', 2 * 1024 * 1024));

        using var response = await bot.SendAsync(bot.Signer.SignedPost("/slack/commands", huge, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}

public class SandboxVerbTests
{
    [Fact]
    public async Task A_bot_on_real_AWS_does_not_offer_sandbox_rehearsals()
    {
        await using var bot = await SlackBot.StartAsync();

        var rehearse = await bot.AnswerAsync("sandbox break securebase-prod-user-management", "rehearse");
        var help = await bot.AnswerAsync("help", "help");

        Assert.Contains("I don't know `/sb sandbox`", rehearse.GetProperty("text").GetString());
        Assert.DoesNotContain("/sb sandbox", help.GetRawText());
    }
}
