using Cronos;

namespace Bot.Workers;

/// <summary>The scheduled health report, bound from <c>Reports:DailyHealth</c>.</summary>
public sealed class DailyHealthReportOptions
{
    public const string Section = "Reports:DailyHealth";

    public bool Enabled { get; set; } = true;

    /// <summary>Cron (5 fields): default 09:00 Monday to Friday.</summary>
    public string Cron { get; set; } = "0 9 * * 1-5";

    /// <summary>IANA or Windows time zone id the cron is read in (e.g. <c>Europe/London</c>).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Which environment to report on.</summary>
    public string Environment { get; set; } = "prod";

    public CronExpression ParsedCron() => CronExpression.Parse(Cron, CronFormat.Standard);

    public TimeZoneInfo ParsedTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsValid(out string? error)
    {
        error = null;
        try
        {
            _ = ParsedCron();
        }
        catch (CronFormatException e)
        {
            error = $"Reports:DailyHealth:Cron '{Cron}' is not a valid cron expression: {e.Message}";
            return false;
        }
        try
        {
            _ = ParsedTimeZone();
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"Reports:DailyHealth:TimeZone '{TimeZone}' is not a known time zone.";
            return false;
        }
        return true;
    }
}
