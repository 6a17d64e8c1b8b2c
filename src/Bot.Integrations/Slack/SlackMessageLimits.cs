using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Integrations.Slack;

/// <summary>
/// Slack's limits for a message, applied in one place: <see cref="Fit(string, JsonElement?)"/>, which every
/// message passes through on its way out (<c>response_url</c>, <c>chat.postMessage</c>, <c>chat.update</c>,
/// <c>chat.postEphemeral</c>, the outbox's posts and edits). Whatever is over a limit is cut with "…", and
/// a message that lost blocks says so in its last one. The reply channel sends the whole text of a long
/// in-channel answer as a file (<see cref="FullText"/>), in the thread when there is one.
/// </summary>
public static partial class SlackMessageLimits
{
    public const int MaxText = 40_000;
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3_000;
    public const int MaxFields = 10;
    public const int MaxFieldText = 2_000;
    public const int MaxContextElements = 10;
    public const int MaxHeaderText = 150;
    public const int MaxActionsElements = 25;
    public const int MaxButtonText = 75;
    public const int MaxAltText = 2_000;

    public const string CutNote = "… cut to fit Slack's message limits.";

    /// <summary>A message as it will be sent, and whether anything had to be cut.</summary>
    public sealed record Fitted(string Text, JsonElement? Blocks, bool Cut);

    /// <summary>The blocks as the JSON array Slack takes; null when there are none (an empty array when <paramref name="keepEmpty"/>).</summary>
    public static JsonElement? ToJson(IReadOnlyList<Block>? blocks, bool keepEmpty = false) =>
        blocks is { Count: > 0 } || (keepEmpty && blocks is not null)
            ? JsonSerializer.SerializeToElement(blocks, BlockKitJson.Options)
            : null;

    /// <summary>Whether <paramref name="message"/> is within the limits as it is.</summary>
    public static bool Fits(SlackMessage message) => !Fit(message.Text, ToJson(message.Blocks)).Cut;

    /// <summary><paramref name="text"/> and <paramref name="blocks"/> cut to Slack's limits.</summary>
    public static Fitted Fit(string text, JsonElement? blocks)
    {
        var cut = false;
        var fittedText = CutMarkup(text, MaxText, ref cut);
        if (blocks is not { ValueKind: JsonValueKind.Array } array || WithinLimits(array)) return new Fitted(fittedText, blocks, cut);

        var nodes = JsonNode.Parse(array.GetRawText())!.AsArray();
        var blocksCut = false;
        if (nodes.Count > MaxBlocks)
        {
            while (nodes.Count > MaxBlocks - 1) nodes.RemoveAt(nodes.Count - 1);
            blocksCut = true;
        }
        foreach (var block in nodes.OfType<JsonObject>()) FitBlock(block, ref blocksCut);
        if (blocksCut)
        {
            if (nodes.Count >= MaxBlocks) nodes.RemoveAt(nodes.Count - 1);
            nodes.Add(JsonSerializer.SerializeToNode<Block>(ContextBlock.Markdown(CutNote), BlockKitJson.Options));
            cut = true;
        }
        return new Fitted(fittedText, cut ? JsonSerializer.SerializeToElement(nodes) : blocks, cut);
    }

    /// <summary>The whole content of a message as plain text (entities decoded), for a file when the message had to be cut.</summary>
    public static string FullText(SlackMessage message)
    {
        if (message.Blocks.Count == 0) return Decode(message.Text);
        var text = new StringBuilder();
        foreach (var block in message.Blocks)
        {
            var parts = block switch
            {
                HeaderBlock h => [h.Text.Text],
                SectionBlock s => new[] { s.Text?.Text }.Concat((s.Fields ?? []).Select(f => f.Text)),
                ContextBlock c => c.Elements.Select(e => e.Text),
                _ => [],
            };
            foreach (var part in parts.OfType<string>()) text.AppendLine(Decode(part));
        }
        return text.ToString();
    }

    private static void FitBlock(JsonObject block, ref bool cut)
    {
        switch ((string?)block["type"])
        {
            case "section":
                FitText(block["text"], MaxSectionText, ref cut);
                if (block["fields"] is JsonArray fields)
                {
                    Truncate(fields, MaxFields, ref cut);
                    foreach (var field in fields) FitText(field, MaxFieldText, ref cut);
                }
                break;
            case "context":
                if (block["elements"] is JsonArray elements)
                {
                    Truncate(elements, MaxContextElements, ref cut);
                    foreach (var element in elements) FitText(element, MaxSectionText, ref cut);
                }
                break;
            case "header":
                FitText(block["text"], MaxHeaderText, ref cut);
                break;
            case "actions":
                if (block["elements"] is JsonArray buttons)
                {
                    Truncate(buttons, MaxActionsElements, ref cut);
                    foreach (var button in buttons) FitText(button?["text"], MaxButtonText, ref cut);
                }
                break;
            case "image":
                if (block["alt_text"] is JsonValue alt && alt.TryGetValue<string>(out var altText) && altText.Length > MaxAltText)
                    block["alt_text"] = CutMarkup(altText, MaxAltText, ref cut);
                break;
        }
    }

    /// <summary>Cuts the <c>text</c> of a text object in place.</summary>
    private static void FitText(JsonNode? textObject, int max, ref bool cut)
    {
        if (textObject is JsonObject o && o["text"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > max)
            o["text"] = CutMarkup(text, max, ref cut);
    }

    private static void Truncate(JsonArray array, int max, ref bool cut)
    {
        if (array.Count <= max) return;
        while (array.Count > max) array.RemoveAt(array.Count - 1);
        cut = true;
    }

    /// <summary>At most <paramref name="max"/> characters ending in "…", never ending inside an entity such as <c>&amp;lt;</c>.</summary>
    private static string CutMarkup(string text, int max, ref bool cut)
    {
        if (text.Length <= max) return text;
        cut = true;
        var bounded = SlackText.Bound(text, max);
        return PartialEntity().Replace(bounded[..^1], "") + "…";
    }

    private static string Decode(string markup) => markup.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&");

    [GeneratedRegex("&[a-z]{0,3}$")]
    private static partial Regex PartialEntity();
}
