using System.Text.Json;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Integrations.Slack;

/// <summary>
/// The quick answer to "is anything over a limit?", for the messages that are within them (nearly all): they go out as
/// they are, without the parse and rewrite that cutting needs. Each check mirrors what <see cref="Fit"/> cuts.
/// </summary>
public static partial class SlackMessageLimits
{
    /// <summary>True when <see cref="Fit"/> would cut nothing of <paramref name="text"/> and <paramref name="blocks"/>.</summary>
    public static bool WithinLimits(string text, IReadOnlyList<Block>? blocks)
    {
        if (text.Length > MaxText) return false;
        if (blocks is null) return true;
        if (blocks.Count > MaxBlocks) return false;
        foreach (var block in blocks)
        {
            var within = block switch
            {
                SectionBlock s => Short(s.Text, MaxSectionText) && (s.Fields is null || (s.Fields.Count <= MaxFields && s.Fields.All(f => Short(f, MaxFieldText)))),
                ContextBlock c => c.Elements.Count <= MaxContextElements && c.Elements.All(e => Short(e, MaxSectionText)),
                HeaderBlock h => Short(h.Text, MaxHeaderText),
                ActionsBlock a => a.Elements.Count <= MaxActionsElements && a.Elements.All(e => e is not ButtonElement b || Short(b.Text, MaxButtonText)),
                ImageBlock i => i.AltText.Length <= MaxAltText,
                _ => true,
            };
            if (!within) return false;
        }
        return true;
    }

    private static bool Short(TextObject? text, int max) => text is null || text.Text.Length <= max;

    /// <summary>True when <see cref="Fit"/> would cut nothing of the blocks given as their JSON array.</summary>
    private static bool WithinLimits(JsonElement blocks)
    {
        if (blocks.GetArrayLength() > MaxBlocks) return false;
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object) continue;
            var within = Str(block, "type") switch
            {
                "section" => ShortText(block, "text", MaxSectionText) && Each(block, "fields", MaxFields, f => ShortTextObject(f, MaxFieldText)),
                "context" => Each(block, "elements", MaxContextElements, e => ShortTextObject(e, MaxSectionText)),
                "header" => ShortText(block, "text", MaxHeaderText),
                "actions" => Each(block, "elements", MaxActionsElements, e => e.ValueKind != JsonValueKind.Object || ShortText(e, "text", MaxButtonText)),
                "image" => Str(block, "alt_text") is not { } alt || alt.Length <= MaxAltText,
                _ => true,
            };
            if (!within) return false;
        }
        return true;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The text object under <paramref name="name"/> is within <paramref name="max"/> (or is not a text object: Fit leaves it too).</summary>
    private static bool ShortText(JsonElement o, string name, int max) => !o.TryGetProperty(name, out var t) || ShortTextObject(t, max);

    private static bool ShortTextObject(JsonElement t, int max) =>
        t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("text", out var v) || v.ValueKind != JsonValueKind.String || v.GetString()!.Length <= max;

    private static bool Each(JsonElement o, string name, int max, Func<JsonElement, bool> within)
    {
        if (!o.TryGetProperty(name, out var items) || items.ValueKind != JsonValueKind.Array) return true;
        if (items.GetArrayLength() > max) return false;
        foreach (var item in items.EnumerateArray())
            if (!within(item)) return false;
        return true;
    }
}
