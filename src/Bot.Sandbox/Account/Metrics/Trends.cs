namespace Bot.Sandbox.Account.Metrics;

/// <summary>
/// The slow shapes of the account's traffic, shared by the minute model and the hourly history: a weekly season
/// (weekdays as they are, Saturday 62 %, Sunday 55 %) and steady growth per function (user-management 0.25 %, session-management
/// 0.35 %, report-engine 0.5 % a day, so about +25 %, +37 % and +57 % over 90 days), equal to 1 when the account was made.
/// </summary>
public static class Trends
{
    public static double Weekly(DayOfWeek day) => day switch
    {
        DayOfWeek.Saturday => 0.62,
        DayOfWeek.Sunday => 0.55,
        _ => 1.0,
    };

    public static double GrowthPerDay(string functionSuffix) => functionSuffix switch
    {
        SecureBaseCatalog.UserManagement => 0.0025,
        SecureBaseCatalog.SessionManagement => 0.0035,
        _ => 0.005,
    };

    /// <summary>Weekly season × growth at the minute, relative to the minute the account was made.</summary>
    public static double Factor(string functionSuffix, long minute, long createdMinute) =>
        Weekly(MetricModel.StartOf(minute).DayOfWeek) * Math.Exp(GrowthPerDay(functionSuffix) * (minute - createdMinute) / 1440.0);

    /// <summary>1 ± 0.4 over the day, busiest around 15:00 UTC (the hour's average at its middle).</summary>
    public static double DiurnalOfHour(long hour) => MetricModel.Diurnal(hour * 60 + 30);

    /// <summary>
    /// The share of a function's configured memory its invocations use (REPORT's Max Memory Used): report-engine is the
    /// over-provisioned one (14–20 % of its 1024 MB), user-management 42–64 %, session-management 50–74 %.
    /// </summary>
    public static double MemoryShare(string functionSuffix, double u) => functionSuffix switch
    {
        SecureBaseCatalog.ReportEngine => 0.14 + 0.06 * u,
        SecureBaseCatalog.UserManagement => 0.42 + 0.22 * u,
        _ => 0.50 + 0.24 * u,
    };

    /// <summary>How often an invocation starts cold, and how long its Init Duration is (Python's imports are heavier).</summary>
    public static (double Rate, double MinMs, double SpreadMs) ColdStart(string runtime) =>
        runtime.StartsWith("python", StringComparison.Ordinal) ? (0.05, 1100, 800) : (0.02, 240, 360);
}
