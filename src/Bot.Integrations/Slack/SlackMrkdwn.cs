using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Integrations.Slack;
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
        TextSpan t => Escape(t.Text),
        CodeSpan c => c.Text.Length == 0 ? "" : Code(c.Text),
        StrongSpan s => Strong(s.Text),
        UserSpan u when UserId().IsMatch(u.UserId) => $"<@{u.UserId}>",
        UserSpan u => "@" + Escape(u.Name),
        GroupSpan g when GroupId().IsMatch(g.GroupId) => $"<!subteam^{g.GroupId}>",
        GroupSpan g => "@" + Escape(g.Name),
        TimeSpanAt t => $"<!date^{t.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} {{time}}|{Escape(t.Plain)}>",
        LinkSpan l when SafeUrl(l.Url) is { } url => $"<{url}|{Escape(l.Label).Replace('|', '¦')}>",
        LinkSpan l => Escape(l.Plain),
        _ => Escape(span.Plain),
    };

    /// <summary>Bold text; surrounding spaces stay outside the asterisks, where Slack needs them.</summary>
    private static string Strong(string text)
    {
        var core = text.Trim();
        if (core.Length == 0) return Escape(text);
        var lead = text[..text.IndexOf(core, StringComparison.Ordinal)];
        var trail = text[(lead.Length + core.Length)..];
        return lead + "*" + Escape(core).Replace('*', '∗') + "*" + trail;
    }

    /// <summary>An absolute http(s) URL with the characters that would end Slack's link syntax escaped; null otherwise.</summary>
    private static string? SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? Escape(uri.AbsoluteUri).Replace("|", "%7C", StringComparison.Ordinal)
            : null;

    [GeneratedRegex("^[UW][A-Z0-9]{2,30}$")]
    private static partial Regex UserId();

    [GeneratedRegex("^S[A-Z0-9]{2,30}$")]
    private static partial Regex GroupId();
}
