using System.Globalization;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// The windows the reviews cover, in whole UTC days: the weekly review the 7 days before a day (default today, so on a Monday
/// the week Monday to Sunday just ended), the monthly review a calendar month that is over (default the last one). A period
/// that is not over yet is refused.
/// </summary>
public static class ReviewPeriods
{
    public static ReportWindow Weekly(DateOnly endExclusive) =>
        new(Midnight(endExclusive.AddDays(-7)), Midnight(endExclusive), 3600);

    public static ReportWindow Monthly(int year, int month)
    {
        var start = new DateOnly(year, month, 1);
        return new ReportWindow(Midnight(start), Midnight(start.AddMonths(1)), 3600);
    }

    /// <summary><c>--week YYYY-MM-DD</c>: the week before that day; today or earlier.</summary>
    public static ReportWindow ParseWeek(string? text, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (text is null) return Weekly(today);
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            throw new UsageException(Line.Of(Code("--week"), " takes the day after the week, as ", Code("YYYY-MM-DD"), " (e.g. a Monday: ", Code(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ")."));
        if (day > today)
            throw new UsageException(Line.Of("The week before ", Code(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), " is not over yet: that is in the future. Nothing was posted."));
        return Weekly(day);
    }

    /// <summary><c>--month YYYY-MM</c>: a month that is over; default the last one.</summary>
    public static ReportWindow ParseMonth(string? text, DateTimeOffset now)
    {
        var thisMonth = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        if (text is null) return Monthly(thisMonth.AddMonths(-1).Year, thisMonth.AddMonths(-1).Month);
        if (!DateTime.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            throw new UsageException(Line.Of(Code("--month"), " takes a month as ", Code("YYYY-MM"), " (e.g. ", Code(thisMonth.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture)), ")."));
        if (new DateOnly(month.Year, month.Month, 1) >= thisMonth)
            throw new UsageException(Line.Of(Code(month.ToString("yyyy-MM", CultureInfo.InvariantCulture)), " is not over yet: the monthly review covers a whole month that has ended. Nothing was posted."));
        return Monthly(month.Year, month.Month);
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
