using System.Globalization;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud;

/// <summary>A Cost Explorer window (End exclusive, as the API wants) and the window before it, to compare.</summary>
public sealed record CostPeriod(string Label, DateOnly Start, DateOnly End, DateOnly PreviousStart, DateOnly PreviousEnd)
{
    public int Days => End.DayNumber - Start.DayNumber;

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>--period</c> values: <c>7d</c>, <c>30d</c> (or any <c>Nd</c> up to 365), <c>mtd</c> (month to
/// date, today included), <c>last-month</c>. Pure; never throws except the documented
/// <see cref="UsageException"/> from <see cref="Parse"/>.
/// </summary>
public static class CostPeriodParser
{
    public static readonly Line AcceptedForms = Line.Of(Code("7d"), ", ", Code("30d"), " (any ", Code("Nd"), " up to 365d), ", Code("mtd"), " (month to date) or ", Code("last-month"));

    public static bool TryParse(string? text, DateOnly today, out CostPeriod period)
    {
        period = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim().ToLowerInvariant();
        if (today.DayNumber < DateOnly.FromDayNumber(800).DayNumber || today.Year > 9000) return false;

        switch (value)
        {
            case "mtd":
                {
                    var start = new DateOnly(today.Year, today.Month, 1);
                    var end = today.AddDays(1);
                    var previousStart = start.AddMonths(-1);
                    var previousEnd = previousStart.AddDays(Math.Min(end.DayNumber - start.DayNumber, DateTime.DaysInMonth(previousStart.Year, previousStart.Month)));
                    period = new CostPeriod("month to date", start, end, previousStart, previousEnd);
                    return true;
                }
            case "last-month" or "lastmonth" or "last_month":
                {
                    var end = new DateOnly(today.Year, today.Month, 1);
                    var start = end.AddMonths(-1);
                    period = new CostPeriod(start.ToString("MMMM yyyy", CultureInfo.InvariantCulture), start, end, start.AddMonths(-1), start);
                    return true;
                }
        }

        if (value.Length is < 2 or > 4 || value[^1] != 'd' || !value[..^1].All(char.IsAsciiDigit)) return false;
        if (!int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 365) return false;
        {
            var end = today;
            var start = end.AddDays(-days);
            period = new CostPeriod($"last {days} days", start, end, start.AddDays(-days), start);
            return true;
        }
    }

    public static CostPeriod Parse(string? text, DateOnly today)
    {
        if (TryParse(text ?? "30d", today, out var period)) return period;
        throw new UsageException(Line.Of(Code($"--period {Value(text, 20).Text}"), " is not a period I understand. Use ", AcceptedForms, "."));
    }
}
