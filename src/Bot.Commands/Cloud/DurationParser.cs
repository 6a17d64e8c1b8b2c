using System.Globalization;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud;

/// <summary>
/// <c>--since</c> values: a whole number and a unit, <c>15m</c>, <c>1h</c>, <c>2d</c>, <c>1w</c>
/// (from 1 minute up to 90 days). Never throws except <see cref="UsageException"/> from <see cref="Parse"/>.
/// </summary>
public static class DurationParser
{
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(90);
    public static readonly Line AcceptedForms = Line.Of("a number and a unit: ", Code("15m"), ", ", Code("1h"), ", ", Code("2d"), " or ", Code("1w"), " (at most 90d)");

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim().ToLowerInvariant();
        if (text.Length < 2 || text.Length > 8) return false;
        var unit = text[^1];
        var digits = text[..^1];
        if (!digits.All(char.IsAsciiDigit)) return false;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
        var minutes = unit switch
        {
            'm' => (long)n,
            'h' => n * 60L,
            'd' => n * 1440L,
            'w' => n * 10080L,
            _ => -1,
        };
        if (minutes <= 0 || minutes > Maximum.TotalMinutes) return false;
        duration = TimeSpan.FromMinutes(minutes);
        return true;
    }

    /// <summary>The duration, <paramref name="fallback"/> when absent, or a <see cref="UsageException"/> naming the accepted forms.</summary>
    public static TimeSpan Parse(string? text, TimeSpan fallback, string flag = "since")
    {
        if (text is null) return fallback;
        if (TryParse(text, out var duration)) return duration;
        throw new UsageException(Line.Of(Code($"--{flag} {Value(text, 20).Text}"), " is not a duration I understand. Use ", AcceptedForms, "."));
    }

    /// <summary>Short human form: 90m → "1h 30m", 1440m → "1d".</summary>
    public static string Format(TimeSpan span)
    {
        if (span.TotalMinutes < 1) return $"{Math.Max(0, (int)span.TotalSeconds)}s";
        var parts = new List<string>();
        if (span.Days >= 7 && span.Days % 7 == 0 && span.Hours == 0 && span.Minutes == 0) return $"{span.Days / 7}w";
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes}m");
        return string.Join(' ', parts);
    }
}
