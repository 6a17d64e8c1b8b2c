using System.Collections.Concurrent;
using Bot.Sandbox.Account.Lambda;

namespace Bot.Sandbox.Account.Metrics;

/// <summary>What one function, table or API did in one hour of the history (older than the minute model's 15 days).</summary>
public sealed record HourSample(double Count, double Errors, double AverageMs, double MaxMs, double Read, double Write, double Errors4xx);

/// <summary>
/// The account's history hour by hour, for metrics older than <see cref="MetricModel.Retention"/> (CloudWatch keeps
/// them at 5-minute resolution for 63 days and hourly for 455; the sandbox keeps <see cref="Days"/> days): the same
/// daily and weekly shape and growth as the minute model (<see cref="Trends"/>), computed per hour, so a 90-day query
/// at a 1-day or 1-hour period costs a few thousand samples per series. No faults act this far back.
/// </summary>
public sealed class HistoryModel
{
    /// <summary>How far back the history goes.</summary>
    public const int Days = 120;

    private readonly SandboxAccount _account;
    private readonly ConcurrentDictionary<(string, long), HourSample> _cache = new();
    private readonly long _createdMinute;

    internal HistoryModel(SandboxAccount account)
    {
        _account = account;
        _createdMinute = MetricModel.MinuteOf(account.Created);
    }

    private int Seed => _account.Options.Seed;

    public HourSample Function(LambdaFunction fn, long hour) => _cache.GetOrAdd((fn.Name, hour), _ =>
    {
        var p = fn.Profile;
        var key = fn.Name + ":hour";
        var perMinute = p.InvocationsPerMinute * SecureBaseCatalog.Scale(fn.Environment) * Trends.DiurnalOfHour(hour) *
                        Trends.Factor(p.Suffix, hour * 60 + 30, _createdMinute);
        var invocations = Math.Max(120, Math.Round(60 * perMinute * (0.92 + 0.16 * Deterministic.Unit(Seed, key + ":inv", hour))));
        var blips = Deterministic.Unit(Seed, key + ":blip", hour) < 0.17 ? 1 + Math.Floor(Deterministic.Unit(Seed, key + ":blip-n", hour) * 2) : 0;
        var errors = Deterministic.StochasticRound(invocations * 0.0005, Deterministic.Unit(Seed, key + ":err", hour)) + blips;
        var average = p.AverageDurationMs * (0.95 + 0.1 * Deterministic.Unit(Seed, key + ":dur", hour));
        var max = Math.Min(p.Timeout * 1000.0, average * (3 + 1.5 * Deterministic.Unit(Seed, key + ":dur-max", hour)));
        return new HourSample(invocations, errors, Math.Round(average, 2), Math.Round(max, 2), 0, 0, 0);
    });

    public HourSample Table(DynamoDb.DynamoTable table, long hour) => _cache.GetOrAdd((table.Name, hour), _ =>
    {
        double Inv(string suffix) => _account.Function(SecureBaseCatalog.FunctionName(table.Environment, suffix)) is { } f ? Function(f, hour).Count : 0;
        var requests = table.Profile.Suffix switch
        {
            SecureBaseCatalog.UserSessions => Inv(SecureBaseCatalog.SessionManagement) * 2.0 + Inv(SecureBaseCatalog.UserManagement) * 0.3,
            SecureBaseCatalog.UserInvites => Inv(SecureBaseCatalog.UserManagement) * 0.25,
            SecureBaseCatalog.ActivityFeed => Inv(SecureBaseCatalog.UserManagement) * 0.6 + Inv(SecureBaseCatalog.SessionManagement) * 0.3,
            _ => Inv(SecureBaseCatalog.ReportEngine) * 12.0,
        };
        var key = table.Name + ":hour";
        requests = Math.Round(requests * (0.95 + 0.1 * Deterministic.Unit(Seed, key + ":req", hour)));
        var reads = requests * table.Profile.ReadFraction;
        var rcu = Math.Round(reads * 0.5 * Math.Ceiling(table.Profile.AverageItemBytes / 4096.0), 1);
        var wcu = Math.Round((requests - reads) * Math.Max(1, Math.Ceiling(table.Profile.AverageItemBytes / 1024.0)), 1);
        var userErrors = Deterministic.StochasticRound(requests * 0.001, Deterministic.Unit(Seed, key + ":usr", hour));
        var latency = Math.Round(3.5 + 4 * Deterministic.Unit(Seed, key + ":lat", hour), 2);
        return new HourSample(requests, userErrors, latency, Math.Round(latency * 3.5, 2), rcu, wcu, 0);
    });

    public HourSample Api(string environment, long hour) => _cache.GetOrAdd((SecureBaseCatalog.ApiName(environment), hour), _ =>
    {
        HourSample? F(string suffix) => _account.Function(SecureBaseCatalog.FunctionName(environment, suffix)) is { } f ? Function(f, hour) : null;
        var users = F(SecureBaseCatalog.UserManagement);
        var sessions = F(SecureBaseCatalog.SessionManagement);
        var reports = F(SecureBaseCatalog.ReportEngine);
        var key = SecureBaseCatalog.ApiName(environment) + ":hour";
        var backend = (users?.Count ?? 0) + (sessions?.Count ?? 0);
        var count = backend + Math.Round((reports?.Count ?? 0) * 0.2);
        var errors5 = (users?.Errors ?? 0) + (sessions?.Errors ?? 0) + Deterministic.StochasticRound(count * 0.0005, Deterministic.Unit(Seed, key + ":5xx", hour));
        var errors4 = Math.Round(count * 0.015 * (0.9 + 0.2 * Deterministic.Unit(Seed, key + ":4xx", hour)));
        var weighted = backend == 0 ? 30 : ((users?.Count ?? 0) * (users?.AverageMs ?? 0) + (sessions?.Count ?? 0) * (sessions?.AverageMs ?? 0)) / backend;
        var average = Math.Round(weighted + 18 + 6 * Deterministic.Unit(Seed, key + ":lat", hour), 2);
        return new HourSample(count, Math.Min(count, errors5), average, Math.Round(average * 4.2, 2), 0, 0, errors4);
    });
}
