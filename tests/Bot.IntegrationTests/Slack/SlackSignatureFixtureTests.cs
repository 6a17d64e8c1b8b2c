using System.Net;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.IntegrationTests.Slack;

/// <summary>Slack's documented signing example, sent through the real middleware with the clock at its timestamp.</summary>
public class SlackSignatureFixtureTests
{
    private static readonly JsonElement Example = JsonDocument.Parse(Fixtures.ReadText("slack/signature/docs-example.json")).RootElement;
    private static readonly byte[] Body = Fixtures.ReadBytes("slack/signature/docs-example.body.txt");

    private static async Task<(SlackBot Bot, FakeTimeProvider Clock)> StartAtExampleTimeAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Header("X-Slack-Request-Timestamp"), System.Globalization.CultureInfo.InvariantCulture)));
        var bot = await SlackBot.StartAsync(
            settings: s =>
            {
                s["Slack:SigningSecret"] = Example.GetProperty("signing_secret").GetString();
                s["Slack:TeamId"] = null;
            },
            services: s => s.AddSingleton<TimeProvider>(clock));
        return (bot, clock);
    }

    private static string Header(string name) => Example.GetProperty("headers").GetProperty(name).GetString()!;

    private static HttpRequestMessage ExampleRequest(byte[] body)
    {
        var request = SlackRequestSigner.UnsignedPost("/slack/commands", body, Example.GetProperty("content_type").GetString()!);
        request.Headers.Add("X-Slack-Request-Timestamp", Header("X-Slack-Request-Timestamp"));
        request.Headers.Add("X-Slack-Signature", Header("X-Slack-Signature"));
        return request;
    }

    [Fact]
    public async Task Slacks_documented_request_passes_verification_and_reaches_the_endpoint()
    {
        var (bot, _) = await StartAtExampleTimeAsync();
        await using var _bot = bot;

        using var response = await bot.SendAsync(ExampleRequest(Body));

        // The example is a /webhook-collect command, which the endpoint (past the middleware) turns down politely.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("answers `/sb` only", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Slacks_documented_request_with_one_flipped_byte_gets_401()
    {
        var (bot, _) = await StartAtExampleTimeAsync();
        await using var _bot = bot;
        var tampered = (byte[])Body.Clone();
        tampered[10] ^= 0x20;

        using var response = await bot.SendAsync(ExampleRequest(tampered));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Slacks_documented_request_replayed_six_minutes_later_gets_401()
    {
        var (bot, clock) = await StartAtExampleTimeAsync();
        await using var _bot = bot;
        using var first = await bot.SendAsync(ExampleRequest(Body));

        clock.Advance(TimeSpan.FromMinutes(6));
        using var replay = await bot.SendAsync(ExampleRequest(Body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }
}
