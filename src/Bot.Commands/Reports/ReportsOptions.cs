using System.ComponentModel.DataAnnotations;

namespace Bot.Commands.Reports;

/// <summary>
/// The reviews' settings, bound from <c>Reports</c>: the procedures' KPI targets (<c>Reports__Kpis__…</c>) and the
/// CloudWatch dashboard of each environment (<c>Reports__Dashboards__&lt;env&gt;</c>, default the operations guide's
/// <c>SecureBase-Phase4-&lt;Env&gt;</c>). The schedules (<c>Reports__Weekly__…</c>, <c>Reports__Monthly__…</c>) are the host's.
/// </summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    [Required]
    public KpiTargets Kpis { get; set; } = new();

    /// <summary>Dashboard name per environment; an environment not listed uses <see cref="DefaultDashboardOf"/>.</summary>
    public Dictionary<string, string> Dashboards { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The operations guide's names: <c>SecureBase-Phase4-Prod</c>, <c>SecureBase-Phase4-Dev</c>, …</summary>
    public static string DefaultDashboardOf(string environment) =>
        environment.Length == 0 ? "SecureBase-Phase4" : "SecureBase-Phase4-" + char.ToUpperInvariant(environment[0]) + environment[1..].ToLowerInvariant();

    public string DashboardOf(string environment) =>
        Dashboards.TryGetValue(environment, out var name) && !string.IsNullOrWhiteSpace(name) ? name.Trim() : DefaultDashboardOf(environment);
}

/// <summary>The procedures' "Key Performance Indicators", applied to SecureBase's functions and API.</summary>
public sealed class KpiTargets
{
    /// <summary>Execution success rate of the functions (1 − errors / invocations): above this.</summary>
    [Range(0, 100)]
    public double SuccessRatePercent { get; set; } = 99.5;

    /// <summary>Average execution time of the functions: below this (the procedures' "&lt; 5 minutes").</summary>
    public TimeSpan AverageDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>System availability (API requests that did not fail with a 5xx): above this.</summary>
    [Range(0, 100)]
    public double AvailabilityPercent { get; set; } = 99.9;

    /// <summary>The procedures' e-mail delivery rate; SecureBase sends no mail through SES, so it is shown as not measured.</summary>
    [Range(0, 100)]
    public double EmailDeliveryPercent { get; set; } = 98;
}
