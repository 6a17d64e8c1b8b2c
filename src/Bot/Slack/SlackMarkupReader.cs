using System.Text.RegularExpressions;

namespace Bot.Slack;

/// <summary>
/// Slack's message markup read back as plain text, for text that leaves Slack (a message added to PagerDuty's timeline):
/// <c>&lt;@U123|ana&gt;</c> is <c>@ana</c> (<c>@U123</c> without a name), channels <c>#name</c>, <c>&lt;!here&gt;</c> <c>@here</c>,
/// links <c>label (url)</c>, and <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c> the characters they stand for.
/// </summary>
public static partial class SlackMarkupReader
{
    public static string ToPlain(string markup) =>
        Entity().Replace(Angle().Replace(markup, m => Token(m.Groups["inner"].Value)), m => m.Value switch
        {
            "&lt;" => "<",
            "&gt;" => ">",
            _ => "&",
        });

    private static string Token(string inner)
    {
        var (target, label) = inner.Split('|', 2) is [var t, var l] ? (t, l) : (inner, null);
        return target switch
        {
            ['@', ..] => "@" + (label ?? target[1..]),
            ['#', ..] => "#" + (label ?? target[1..]),
            ['!', ..] when target.StartsWith("!subteam^", StringComparison.Ordinal) => label ?? "@" + target["!subteam^".Length..],
            ['!', ..] when target.StartsWith("!date^", StringComparison.Ordinal) => label ?? "",
            ['!', ..] => "@" + target[1..],
            _ => label is null || label == target ? target : $"{label} ({target})",
        };
    }

    [GeneratedRegex("<(?<inner>[^<>]*)>")]
    private static partial Regex Angle();

    [GeneratedRegex("&(?:lt|gt|amp);")]
    private static partial Regex Entity();
}
