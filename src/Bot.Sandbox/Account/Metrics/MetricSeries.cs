namespace Bot.Sandbox.Account.Metrics;

/// <summary>
/// A metric the account publishes: its unit, its value per minute (minute = Unix seconds / 60) and, for the history older
/// than the minute model's retention, per hour (hour = Unix seconds / 3600; null: the per-minute values reach back too).
/// </summary>
public sealed record MetricSeries(string Namespace, string MetricName, IReadOnlyList<KeyValuePair<string, string>> Dimensions, string Unit,
    Func<long, Sample> PerMinute, Func<long, Sample>? PerHour = null);
