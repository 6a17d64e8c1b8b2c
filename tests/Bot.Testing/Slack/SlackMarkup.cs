using System.Text.RegularExpressions;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Bot.Testing.Commands;
using Bot.Workflows.Messages;

namespace Bot.Testing.Slack;

/// <summary>
/// Checks what the bot sends as Slack parses it: the message <c>text</c>, every <c>mrkdwn</c> text object and
/// a file's initial comment are markup, where <c>&lt;…&gt;</c> is a mention or a link and <c>&amp;</c> starts
/// an entity. Escaped text has no <c>&lt;</c> or <c>&gt;</c> but the markup the bot means (the asker's own
/// mention) and no <c>&amp;</c> that does not start <c>&amp;amp;</c>, <c>&amp;lt;</c> or <c>&amp;gt;</c>.
/// </summary>
public static partial class SlackMarkup
{
    /// <summary>Hostile text a user or AWS could supply: broadcasts, mentions, a disguised link, an entity, a backtick.</summary>
    public static readonly string[] Hostile =
    [
        "<!here>", "<!channel>", "<!everyone>", "<@U0EVIL>", "<!subteam^S0EVIL>", "<#C0EVIL>",
        "<https://evil.example|click>", "&lt;!here&gt;", "a & b", "`<!here>`", "```<!channel>```", "x>y<z",
    ];

    /// <summary>Every piece of the message, as the Slack adapter renders it, that Slack reads as markup.</summary>
    public static IEnumerable<string> MarkupOf(ChatMessage message) => MarkupOf(MessageRenderer.Render(message));

    /// <summary>Every piece of the message that Slack reads as markup.</summary>
    public static IEnumerable<string> MarkupOf(SlackMessage message)
    {
        yield return message.Text;
        foreach (var block in message.Blocks)
        {
            switch (block)
            {
                case SectionBlock section:
                    if (section.Text is { Type: "mrkdwn" } text) yield return text.Text;
                    foreach (var field in section.Fields ?? []) if (field.Type == "mrkdwn") yield return field.Text;
                    break;
                case ContextBlock context:
                    foreach (var element in context.Elements) if (element.Type == "mrkdwn") yield return element.Text;
                    break;
                case ActionsBlock actions:
                    foreach (var button in actions.Elements.OfType<ButtonElement>()) if (button.Confirm is { } c) yield return c.Text.Text;
                    break;
            }
        }
    }

    /// <summary>Everything a reply channel recorded, as the markup strings Slack would parse.</summary>
    public static IEnumerable<string> MarkupOf(RecordingReplyChannel reply) =>
        reply.Responses.SelectMany(MarkupOf)
            .Concat(reply.Posts.SelectMany(p => MarkupOf(p.Message)))
            .Concat(reply.Uploads.Select(u => u.File.InitialComment).OfType<Line>().Select(SlackMrkdwn.Render));

    /// <summary>What is wrong with <paramref name="markup"/>, or null when it is escaped; <paramref name="meant"/> is markup the bot sends on purpose.</summary>
    public static string? Unescaped(string markup, params string[] meant)
    {
        var rest = meant.Aggregate(markup, (text, m) => text.Replace(m, "", StringComparison.Ordinal));
        if (rest.IndexOfAny(['<', '>']) is var at and >= 0) return $"raw '{rest[at]}' near \"{Around(rest, at)}\" in: {markup}";
        if (BareAmpersand().Match(rest) is { Success: true } m) return $"bare '&' near \"{Around(rest, m.Index)}\" in: {markup}";
        return null;
    }

    /// <summary>Fails with the first unescaped piece of anything <paramref name="reply"/> recorded.</summary>
    public static void AssertEscaped(RecordingReplyChannel reply, params string[] meant)
    {
        foreach (var markup in MarkupOf(reply))
        {
            if (Unescaped(markup, meant) is { } problem) Assert.Fail(problem);
        }
    }

    private static string Around(string text, int index) => text[Math.Max(0, index - 30)..Math.Min(text.Length, index + 30)];

    [GeneratedRegex("&(?!amp;|lt;|gt;)")]
    private static partial Regex BareAmpersand();
}
