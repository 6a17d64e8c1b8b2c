namespace Bot.Testing.Slack;

/// <summary>
/// The configuration server mode needs before it starts (it refuses to without a signing secret and
/// bot token), pointed at a <see cref="SlackApiFake"/>. Add it to a WebApplicationFactory's
/// configuration in any test that starts the server.
/// </summary>
public static class SlackTestSettings
{
    public const string SigningSecret = "e3b0c44298fc1c149afbf4c8996fb924-test";
    public const string BotToken = "xoxb-integration-test";
    public const string TeamId = "T0TEAM";

    public static Dictionary<string, string?> For(SlackApiFake slack) => new()
    {
        ["Slack:SigningSecret"] = SigningSecret,
        ["Slack:BotToken"] = BotToken,
        ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
        ["Slack:TeamId"] = TeamId,
        ["Slack:Retry:BaseDelay"] = "00:00:00.010",
        // Tests stop their bots at once; the drain at shutdown has its own test.
        ["Operations:DrainDelay"] = "00:00:00",
    };
}
