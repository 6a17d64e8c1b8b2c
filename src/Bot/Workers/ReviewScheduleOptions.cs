using Cronos;

namespace Bot.Workers;

/// <summary>
/// A scheduled operations review, bound from <c>Reports:Weekly</c> or <c>Reports:Monthly</c>: on unless <see cref="Enabled"/> is
/// false, at <see cref="Cron"/> in <see cref="TimeZone"/>, about <see cref="Environment"/>.
/// </summary>
public abstract class ReviewScheduleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Cron (5 fields; Cronos reads <c>MON#1</c> as the first Monday).</summary>
    public abstract string Cron { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public string Environment { get; set; } = "prod";

    public CronExpression ParsedCron() => CronExpression.Parse(Cron, CronFormat.Standard);

    public TimeZoneInfo ParsedTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsValid()
    {
        try
        {
            _ = ParsedCron();
            _ = ParsedTimeZone();
            return !string.IsNullOrWhiteSpace(Environment);
        }
        catch (Exception e) when (e is CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentNullException)
        {
            return false;
        }
    }
}

/// <summary>The procedures' weekly review: Mondays, 09:30 UTC by default (<c>Reports__Weekly__…</c>).</summary>
public sealed class WeeklyReviewScheduleOptions : ReviewScheduleOptions
{
    public const string Section = "Reports:Weekly";

    public override string Cron { get; set; } = "30 9 * * MON";
}

/// <summary>The procedures' monthly review: the first Monday, 10:00 UTC by default (<c>Reports__Monthly__…</c>).</summary>
public sealed class MonthlyReviewScheduleOptions : ReviewScheduleOptions
{
    public const string Section = "Reports:Monthly";

    public override string Cron { get; set; } = "0 10 * * MON#1";
}
