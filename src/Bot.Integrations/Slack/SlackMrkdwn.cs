using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// Renders the domain's <see cref="Line"/> as Slack mrkdwn. Plain text is escaped as Slack documents
/// (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so words from a user or from AWS never become a mention, a channel-wide
/// ping or a link; only the typed spans (a user, a group, a checked http(s) link) become Slack's control sequences.
/// </summary>
public static partial class SlackMrkdwn
{
    /// <summary>Escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> (<see cref="SlackText.Escape"/>).</summary>
    public static string Escape(string text) => SlackText.Escape(text);

    /// <summary>A value in a code span: escaped, and a backtick inside cannot close the span early.</summary>
    public static string Code(string text) => "`" + Escape(text).Replace('`', 'ˋ') + "`";

    public static string Render(Line line)
    {
        var text = new StringBuilder();
        foreach (var span in line.Spans) text.Append(Render(span));
        return text.ToString();
    }

    public static string Render(Span span) => span switch
    {
        TextSpan { Verbatim: true } t => t.Text,
        TextSpan t => Escape(t.Text),
        CodeSpan { Verbatim: true } c => "`" + c.Text.Replace('`', 'ˋ') + "`",
        CodeSpan c => c.Text.Length == 0 ? "" : Code(c.Text),
        StrongSpan s => Strong(s.Text),
        UserSpan u when IsUserId(u.UserId) => $"<@{u.UserId}>",
        UserSpan u => "@" + Escape(u.Name),
        GroupSpan g when IsGroupId(g.GroupId) => $"<!subteam^{g.GroupId}>",
        GroupSpan g => "@" + Escape(g.Name),
        TimeSpanAt t => $"<!date^{t.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} {{time}}|{Escape(t.Plain)}>",
        LinkSpan l when LinkUrl(l.Url) is { } url => $"<{Escape(url)}|{Escape(l.Label).Replace('|', '¦')}>",
        LinkSpan l => Escape(l.Plain),
        EmojiSpan e => $":{Escape(e.Name)}:",
        EmphasisSpan e => Around(e.Text, '_', '_'),
        ChannelSpan c when ChannelId().IsMatch(c.ChannelId) => $"<#{c.ChannelId}>",
        ChannelSpan c => Escape(c.Plain),
        PreformattedSpan p => "```\n" + CodeBlock(p.Text) + "\n```",
        _ => Escape(span.Plain),
    };

    /// <summary>How long <paramref name="line"/> is in mrkdwn: what counts against Slack's limits (3,000 characters a section).</summary>
    public static int Length(Line line) => Render(line).Length;

    /// <summary>Lines for a <c>```</c> code block: a <c>```</c> inside cannot end the block early; escaped.</summary>
    public static string CodeBlock(string text) => Escape(text.Replace("```", "ˋˋˋ", StringComparison.Ordinal));

    /// <summary>Bold text; surrounding spaces stay outside the asterisks, where Slack needs them.</summary>
    private static string Strong(string text) => Around(text, '*', '∗');

    /// <summary>
    /// <paramref name="text"/> between two <paramref name="mark"/>s (bold, italics), its surrounding spaces outside them
    /// where Slack needs them; a mark inside becomes <paramref name="standIn"/> so it cannot end the span early.
    /// </summary>
    private static string Around(string text, char mark, char standIn)
    {
        var core = text.Trim();
        if (core.Length == 0) return Escape(text);
        var lead = text[..text.IndexOf(core, StringComparison.Ordinal)];
        var trail = text[(lead.Length + core.Length)..];
        return lead + mark + Escape(core).Replace(mark, standIn) + mark + trail;
    }

    /// <summary>Whether Slack can mention <paramref name="userId"/> (a user id such as <c>U0123ABCD</c>).</summary>
    public static bool IsUserId(string userId) => UserId().IsMatch(userId);

    /// <summary>Whether Slack can mention <paramref name="groupId"/> (a user group id such as <c>S0123ABCD</c>).</summary>
    public static bool IsGroupId(string groupId) => GroupId().IsMatch(groupId);

    /// <summary>An absolute http(s) URL as a link shows it, a <c>|</c> (which would end Slack's link syntax) encoded; null otherwise.</summary>
    public static string? LinkUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal)
            : null;

    [GeneratedRegex("^[UW][A-Z0-9]{2,30}$")]
    private static partial Regex UserId();

    [GeneratedRegex("^S[A-Z0-9]{2,30}$")]
    private static partial Regex GroupId();

    // Slack's conversation ids are upper-case letters and digits; the shell's stand-in channel is a word.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex ChannelId();
}
