using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Testing.Slack;

/// <summary>A person clicking a button on a card the bot posted: the button's value from the card, and the payload Slack sends.</summary>
public static class SlackClicks
{
    /// <summary>The value of the button <paramref name="actionId"/> in a <c>chat.postMessage</c> or <c>chat.update</c> body; null when it has none.</summary>
    public static string? ButtonValue(string cardBody, string actionId)
    {
        using var card = JsonDocument.Parse(cardBody);
        if (!card.RootElement.TryGetProperty("blocks", out var blocks)) return null;
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.GetProperty("type").GetString() != "actions") continue;
            foreach (var element in block.GetProperty("elements").EnumerateArray())
                if (element.GetProperty("action_id").GetString() == actionId) return element.GetProperty("value").GetString();
        }
        return null;
    }

    /// <summary>
    /// A <c>block_actions</c> payload like Slack's (its shape from the vendored fixture): <paramref name="userId"/> clicked the button
    /// <paramref name="actionId"/> carrying <paramref name="value"/> on a card in <paramref name="channelId"/>. Each click has its own
    /// <paramref name="actionTs"/> and <paramref name="triggerId"/> (a new one when none is given).
    /// </summary>
    public static string Payload(string teamId, string userId, string userName, string channelId, string actionId, string value, string responseUrl,
        string actionTs, string? triggerId = null)
    {
        var node = JsonNode.Parse(Fixtures.ReadText("slack/payloads/block_actions.bolt-python.json"))!;
        node["team"]!["id"] = teamId;
        node["user"] = new JsonObject { ["id"] = userId, ["username"] = userName, ["name"] = userName, ["team_id"] = teamId };
        node["channel"] = new JsonObject { ["id"] = channelId, ["name"] = "securebase-ops" };
        node["response_url"] = responseUrl;
        node["trigger_id"] = triggerId ?? SlackRequestSigner.NewTriggerId();
        var action = node["actions"]![0]!;
        action["action_id"] = actionId;
        action["value"] = value;
        action["action_ts"] = actionTs;
        return node.ToJsonString();
    }
}
