using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.Bench.Load;

/// <summary>One request, built and signed before the clock starts: only sending it is timed.</summary>
public sealed record PreparedRequest(string Path, byte[] Body, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        var message = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }
}

/// <summary>
/// The kinds of traffic the benchmark sends, each request unique (Slack never sends the same delivery twice, and the
/// bot's replay guard would drop a copy): signed <c>/sb help</c> slash commands, button clicks, Events API callbacks
/// and PagerDuty V3 webhooks.
/// </summary>
public sealed class SignedRequests(string slackSecret, string pagerDutySecret, string responseUrl)
{
    public const string TeamId = "T0TEAM";

    public static readonly string[] Kinds = ["help", "click", "event", "pagerduty"];

    public PreparedRequest Make(string kind, int i) => kind switch
    {
        "help" => Slack("/slack/commands", SlackRequestSigner.SlashCommandForm("help", responseUrl, teamId: TeamId), "application/x-www-form-urlencoded"),
        "click" => Slack("/slack/interactions", SlackRequestSigner.InteractionForm(Click(i)), "application/x-www-form-urlencoded"),
        "event" => Slack("/slack/events", Event(i), "application/json"),
        "pagerduty" => PagerDuty(i),
        _ => throw new ArgumentException($"Unknown request kind '{kind}'; one of {string.Join(", ", Kinds)}."),
    };

    private PreparedRequest Slack(string path, string body, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new PreparedRequest(path, bytes, contentType,
            [new("X-Slack-Request-Timestamp", ts), new("X-Slack-Signature", SlackRequestSigner.Signature(slackSecret, ts, bytes))]);
    }

    private static readonly JsonNode ClickTemplate = JsonNode.Parse(Fixtures.ReadText("slack/payloads/block_actions.bolt-python.json"))!;
    private static readonly JsonNode EventTemplate = JsonNode.Parse(Fixtures.ReadText("slack/payloads/event_callback.app_mention.bolt-python.json"))!;

    /// <summary>A click on a button the bot does not know (it answers that the button is out of date), unique by <c>action_ts</c>.</summary>
    private string Click(int i)
    {
        var payload = ClickTemplate.DeepClone();
        payload["team"]!["id"] = TeamId;
        payload["response_url"] = responseUrl;
        payload["trigger_id"] = SlackRequestSigner.NewTriggerId();
        payload["actions"]![0]!["action_ts"] = $"1764500000.{i:D6}";
        return payload.ToJsonString();
    }

    private static string Event(int i)
    {
        var payload = EventTemplate.DeepClone();
        payload["team_id"] = TeamId;
        payload["event_id"] = $"Ev{Guid.NewGuid():N}"[..14].ToUpperInvariant();
        payload["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return payload.ToJsonString();
    }

    private PreparedRequest PagerDuty(int i)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["id"] = $"01BENCH{Guid.NewGuid():N}"[..26].ToUpperInvariant(),
                ["event_type"] = "incident.acknowledged",
                ["resource_type"] = "incident",
                ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O"),
                ["data"] = new JsonObject { ["id"] = $"QBENCH{i % 50:D4}", ["type"] = "incident", ["status"] = "acknowledged" },
            },
        }.ToJsonString());
        var signature = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(pagerDutySecret), body));
        return new PreparedRequest("/pagerduty/webhooks", body, "application/json",
            [new("X-PagerDuty-Signature", signature), new("X-Webhook-Id", Guid.NewGuid().ToString())]);
    }
}
