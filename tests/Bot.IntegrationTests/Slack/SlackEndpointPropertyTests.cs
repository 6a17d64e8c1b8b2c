using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.IntegrationTests.Slack;

/// <summary>
/// Correctly signed garbage, labelled with the type each URL takes so it reaches the parsers; whatever it
/// is, the answer is never a 500.
/// </summary>
public sealed class SlackEndpointPropertyTests : IAsyncLifetime
{
    private static readonly string[] Paths = ["/slack/commands", "/slack/interactions", "/slack/events"];
    private static readonly HttpStatusCode[] Acceptable = [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden];

    private SlackBot _bot = null!;

    private static string TypeFor(string path) => path == "/slack/events" ? "application/json" : "application/x-www-form-urlencoded";

    public async Task InitializeAsync() => _bot = await SlackBot.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static Gen<string> FormBodies() =>
        from count in Gen.Choose(0, 8)
        from pairs in Gen.ArrayOf(
            from key in Gen.Elements("command", "text", "user_id", "user_name", "channel_id", "team_id", "response_url", "trigger_id", "payload", "x")
            from value in Gen.OneOf(
                Gen.Elements("/sb", "help", "T0TEAM", "U1", "C1", "{\"type\":\"block_actions\"}", "http://127.0.0.1:1/response/x", "%zz", "+&="),
                ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get))
            from encode in ArbMap.Default.GeneratorFor<bool>()
            select $"{key}={(encode ? Uri.EscapeDataString(value.Replace('\uFFFE', ' ')) : value)}", count)
        select string.Join('&', pairs);

    [Property(MaxTest = 60)]
    public Property Signed_arbitrary_form_bodies_never_get_a_500() =>
        Prop.ForAll(FormBodies().ToArbitrary(), Gen.Elements(Paths).ToArbitrary(), (body, path) =>
        {
            using var response = _bot.SendAsync(_bot.Signer.SignedPost(path, Encoding.UTF8.GetBytes(body), TypeFor(path))).GetAwaiter().GetResult();
            return Acceptable.Contains(response.StatusCode);
        });

    [Property(MaxTest = 60)]
    public Property Signed_arbitrary_bytes_never_get_a_500() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Gen.Elements(Paths).ToArbitrary(), (body, path) =>
        {
            using var response = _bot.SendAsync(_bot.Signer.SignedPost(path, body, TypeFor(path))).GetAwaiter().GetResult();
            return Acceptable.Contains(response.StatusCode);
        });

    [Property(MaxTest = 60)]
    public Property Signed_arbitrary_json_events_never_get_a_500() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => "{\"type\":\"event_callback\",\"team_id\":\"T0TEAM\",\"event_id\":" + System.Text.Json.JsonSerializer.Serialize(s.Get) + ",\"event\":{\"type\":\"app_mention\",\"channel\":" + System.Text.Json.JsonSerializer.Serialize(s.Get) + "}}").ToArbitrary(), json =>
        {
            using var response = _bot.SendAsync(_bot.Signer.SignedPost("/slack/events", Encoding.UTF8.GetBytes(json), "application/json")).GetAwaiter().GetResult();
            return Acceptable.Contains(response.StatusCode);
        });
}
