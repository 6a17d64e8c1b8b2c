using Cronos;

namespace Bot.Workers;

/// <summary>
/// The scheduled DR drill, bound from <c>Reports:DrDrill</c>: off unless <see cref="Cron"/> is set (the procedures'
/// "Quarterly DR Tests", e.g. <c>0 10 1 1,4,7,10 *</c>), in <see cref="TimeZone"/>, on <see cref="Environment"/>'s tables
/// (staging by default; prod requests a change someone must approve).
/// </summary>
public sealed class DrDrillScheduleOptions
{
    public const string Section = "Reports:DrDrill";

    /// <summary>Cron (5 fields); empty: no scheduled drill.</summary>
    public string? Cron { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public string Environment { get; set; } = "staging";

    /// <summary>Tables to drill (short or full names); empty: every table of the environment.</summary>
    public List<string> Tables { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Cron);

    public CronExpression ParsedCron() => CronExpression.Parse(Cron!, CronFormat.Standard);

    public TimeZoneInfo ParsedTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsValid()
    {
        try
        {
            if (Enabled) _ = ParsedCron();
            _ = ParsedTimeZone();
            return !string.IsNullOrWhiteSpace(Environment);
        }
        catch (Exception e) when (e is CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
