namespace Bot.Sandbox.Account.Costs;

/// <summary>One usage type of one service, with its share of the service's cost and its unit price.</summary>
internal sealed record UsageType(string Name, double Share, double UnitPrice);

/// <summary>A service of the bill with its daily cost in production and how it trends.</summary>
internal sealed record CostService(string Name, double DailyCost, double GrowthPerDay, UsageType[] UsageTypes);

/// <summary>The cost of one usage type of one service on one day.</summary>
public sealed record CostLine(DateOnly Day, string Service, string UsageType, double Cost, double Quantity, string Environment);

/// <summary>
/// Daily unblended costs of the account by service and usage type for the last
/// <see cref="HistoryDays"/> days: a plausible trend (DynamoDB growing, a Lambda step up nine days ago when
/// report-engine got slower), quieter weekends and some noise. Today's cost is the part of the day elapsed.
/// Costs are split by the <c>Environment</c> tag in proportion to each environment's traffic; shared items are untagged.
/// </summary>
public sealed class CostModel
{
    /// <summary>Enough history that every <c>/sb cost</c> period (up to 30 days, last month) has a full previous period to compare with.</summary>
    public const int HistoryDays = 100;

    private static readonly CostService[] Services =
    [
        new("Amazon DynamoDB", 14.8, 0.006, [new("USE1-ReadRequestUnits", 0.38, 0.00000025), new("USE1-WriteRequestUnits", 0.44, 0.00000125),
            new("USE1-TimedStorage-ByteHrs", 0.12, 0.25 / 730), new("USE1-TimedPITRStorage-ByteHrs", 0.06, 0.2 / 730)]),
        new("AWS Lambda", 6.2, 0.002, [new("USE1-Lambda-GB-Second", 0.82, 0.0000166667), new("USE1-Request", 0.18, 0.0000002)]),
        new("Amazon API Gateway", 4.1, 0.003, [new("USE1-ApiGatewayRequest", 1.0, 0.0000035)]),
        new("AmazonCloudWatch", 3.3, 0.001, [new("USE1-DataProcessing-Bytes", 0.48, 0.5), new("USE1-CW:Requests", 0.22, 0.00001),
            new("USE1-TimedStorage-ByteHrs", 0.18, 0.03 / 730), new("USE1-CW:AlarmMonitorUsage", 0.12, 0.1 / 730)]),
        new("Amazon Simple Storage Service", 2.4, 0.004, [new("TimedStorage-ByteHrs", 0.7, 0.023 / 730), new("Requests-Tier1", 0.2, 0.000005),
            new("Requests-Tier2", 0.1, 0.0000004)]),
        new("AWS Key Management Service", 1.05, 0.0, [new("us-east-1-KMS-Keys", 0.7, 1.0 / 30), new("USE1-KMS-Requests", 0.3, 0.000003)]),
        new("AWS Secrets Manager", 0.42, 0.0, [new("USE1-AWSSecretsManager-Secrets", 0.95, 0.4 / 30), new("USE1-AWSSecretsManager-APIRequest", 0.05, 0.000005)]),
        new("Amazon Simple Notification Service", 0.08, 0.0, [new("USE1-Requests-Tier1", 1.0, 0.0000005)]),
    ];

    private readonly SandboxAccount _account;
    private readonly (string Environment, double Share)[] _environmentShares;

    internal CostModel(SandboxAccount account)
    {
        _account = account;
        // Tagged spend follows each environment's traffic (prod dominates); 3 % is shared and untagged.
        var weights = account.Environments.Select(e => (Environment: e, Weight: Math.Sqrt(SecureBaseCatalog.Scale(e)))).ToList();
        var total = weights.Sum(w => w.Weight);
        _environmentShares = [.. weights.Select(w => (w.Environment, 0.97 * w.Weight / total)), ("", 0.03)];
    }

    public static IReadOnlyList<string> ServiceNames { get; } = Services.Select(s => s.Name).ToList();

    public DateOnly Today => DateOnly.FromDateTime(_account.Time.GetUtcNow().UtcDateTime);

    public DateOnly FirstDay => Today.AddDays(-HistoryDays);

    /// <summary>
    /// The expected cost lines of a day from today on, without the day-to-day noise (what a forecast's mean follows):
    /// each service's trend carried forward, quieter weekends, the whole day.
    /// </summary>
    public IEnumerable<CostLine> Expected(DateOnly day)
    {
        if (day < Today) yield break;
        var daysAhead = day.DayNumber - Today.DayNumber;
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.82 : 1.0;
        foreach (var service in Services)
        {
            var total = service.DailyCost * Math.Pow(1 + service.GrowthPerDay, daysAhead) * (service.Name == "AWS Lambda" ? 1.35 : 1.0) *
                        (service.Name.StartsWith("AWS Key", StringComparison.Ordinal) ? 1 : weekend);
            foreach (var usage in service.UsageTypes)
                foreach (var (env, share) in _environmentShares)
                {
                    var part = Math.Round(total * usage.Share * share, 10);
                    yield return new CostLine(day, service.Name, usage.Name, part, Math.Round(part / usage.UnitPrice, 6), env);
                }
        }
    }

    /// <summary>The cost lines of one day (empty outside the history and in the future).</summary>
    public IEnumerable<CostLine> Day(DateOnly day)
    {
        if (day < FirstDay || day > Today) yield break;
        var seed = _account.Options.Seed;
        var daysAgo = Today.DayNumber - day.DayNumber;
        var dayNumber = day.DayNumber;
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.82 : 1.0;
        var elapsed = day == Today ? _account.Time.GetUtcNow().UtcDateTime.TimeOfDay.TotalHours / 24 : 1.0;
        foreach (var service in Services)
        {
            var trend = Math.Pow(1 + service.GrowthPerDay, -daysAgo);
            var step = service.Name == "AWS Lambda" && daysAgo < 9 ? 1.35 : 1.0;
            var noise = 0.94 + 0.12 * Deterministic.Unit(seed, "cost:" + service.Name, dayNumber);
            var total = service.DailyCost * trend * step * noise * (service.Name.StartsWith("AWS Key", StringComparison.Ordinal) ? 1 : weekend) * elapsed;
            foreach (var usage in service.UsageTypes)
            {
                var cost = total * usage.Share * (0.97 + 0.06 * Deterministic.Unit(seed, "cost:" + usage.Name, dayNumber));
                foreach (var (env, share) in _environmentShares)
                {
                    var part = Math.Round(cost * share, 10);
                    yield return new CostLine(day, service.Name, usage.Name, part, Math.Round(part / usage.UnitPrice, 6), env);
                }
            }
        }
    }
}
