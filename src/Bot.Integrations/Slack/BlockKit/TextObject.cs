using System.Text.Json.Serialization;

namespace Bot.Integrations.Slack.BlockKit;

/// <summary>A Block Kit composition text object: <c>mrkdwn</c> or <c>plain_text</c>.</summary>
public sealed record TextObject
{
    [JsonPropertyName("type")] public string Type { get; init; } = "mrkdwn";
    [JsonPropertyName("text")] public string Text { get; init; } = "";
    [JsonPropertyName("emoji")] public bool? Emoji { get; init; }

    public static TextObject Markdown(string text) => new() { Type = "mrkdwn", Text = text };
    public static TextObject Plain(string text) => new() { Type = "plain_text", Text = text, Emoji = true };
}
