namespace Bot.Workflows.Messages;

/// <summary>Short constructors for spans: <c>Line.Of("alias ", Code("v7"), " → ", Code("v8"))</c>.</summary>
public static class Spans
{
    public static CodeSpan Code(string text) => new(text);

    /// <summary>
    /// A command to type, written by the bot, with <c>&lt;placeholders&gt;</c> (<c>/sb invoke &lt;function&gt; --env staging</c>):
    /// shown as code, and sent to Slack as written (these answers always were; the placeholders are the bot's own words).
    /// <c>Template("")</c> is an empty code span, shown as one (where a value is missing).
    /// </summary>
    public static CodeSpan Template(string text) => new(text) { Verbatim = true };

    /// <summary>
    /// Words written by the bot with <c>&lt;placeholders&gt;</c> (<c>PagerDuty__RoutingKeys__&lt;service&gt;</c>), sent to Slack as
    /// written, as they always were. Never for text that came from outside.
    /// </summary>
    public static TextSpan AsWritten(string text) => new(text) { Verbatim = true };
    public static StrongSpan Strong(string text) => new(text);
    public static UserSpan User(string userId, string name) => new(userId, name);
    public static GroupSpan Group(string groupId, string name) => new(groupId, name);
    public static TimeSpanAt Time(DateTimeOffset at) => new(at);
    public static LinkSpan Link(string url, string label) => new(url, label);
    public static EmojiSpan Emoji(string name) => new(name);
    public static EmphasisSpan Emphasis(string text) => new(text);
    public static ChannelSpan Channel(string channelId) => new(channelId);
    public static PreformattedSpan Preformatted(string text) => new(text);

    /// <summary>
    /// A value that came from outside (what someone typed, a name from AWS) shown as code: one line, at most
    /// <paramref name="max"/> characters (then "…"); a blank value shows as a blank code span.
    /// </summary>
    public static CodeSpan Value(string? text, int max = PlainText.EchoLength)
    {
        var shown = PlainText.Bound(PlainText.OneLine(text), max);
        return new(shown.Length == 0 ? " " : shown);
    }

    /// <summary>Free text that came from outside (an AWS message, a reason, a name): one line, at most <paramref name="max"/> characters.</summary>
    public static TextSpan Echo(string? text, int max) => new(PlainText.Bound(PlainText.OneLine(text), max));
}
