namespace Bot.Sandbox.Account.Metrics;

/// <summary>A metric the account publishes: its unit and its value per minute (minute = Unix seconds / 60).</summary>
public sealed record MetricSeries(string Namespace, string MetricName, IReadOnlyList<KeyValuePair<string, string>> Dimensions, string Unit, Func<long, Sample> PerMinute);
