using System.Collections.Concurrent;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Faults;

namespace Bot.Sandbox.Account.Metrics;

/// <summary>
/// The account's activity, minute by minute: invocations, errors and durations of every function, the
/// requests, capacity and throttles of every table, the requests, 4xx/5xx and latency of every API. Values
/// come from seeded deterministic noise around a daily curve, shaped by alias routing, reserved concurrency
/// and the faults in force, so logs, metrics and alarms always tell the same story.
/// </summary>
public sealed partial class MetricModel
{
    /// <summary>How far back CloudWatch keeps one-minute data (older data comes from the hourly <see cref="HistoryModel"/>).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(15);

    private static readonly (string Operation, double Share)[] TableOperations =
        [("GetItem", 0.35), ("Query", 0.30), ("PutItem", 0.15), ("UpdateItem", 0.15), ("DeleteItem", 0.05)];

    private const int MaxCachedMinutes = 250_000;

    private readonly SandboxAccount _account;
    private readonly Dictionary<(string Environment, string Suffix), LambdaFunction> _functionsByRole;

    // Complete minutes never change (faults and alias moves only act from "now" on), so they are cached.
    private readonly ConcurrentDictionary<(string, long), FunctionMinute> _functionCache = new();
    private readonly ConcurrentDictionary<(string, long), TableMinute> _tableCache = new();
    private readonly ConcurrentDictionary<(string, long), ApiMinute> _apiCache = new();

    private readonly long _createdMinute;

    internal MetricModel(SandboxAccount account)
    {
        _account = account;
        _createdMinute = MinuteOf(account.Created);
        _functionsByRole = account.Functions.ToDictionary(f => (f.Environment, f.Profile.Suffix));
    }

    private int Seed => _account.Options.Seed;

    public static long MinuteOf(DateTimeOffset t) => (long)Math.Floor(t.ToUnixTimeSeconds() / 60.0);
    public static DateTimeOffset StartOf(long minute) => DateTimeOffset.FromUnixTimeSeconds(minute * 60);

    /// <summary>1 ± 0.4 over the day, busiest around 15:00 UTC.</summary>
    internal static double Diurnal(long minute)
    {
        var hour = (minute % 1440 + 1440) % 1440 / 60.0;
        return 1 + 0.4 * Math.Sin(2 * Math.PI * (hour - 9) / 24);
    }

    public FunctionMinute Function(LambdaFunction fn, long minute) => Cached(_functionCache, fn.Name, minute, () => ComputeFunction(fn, minute));

    public TableMinute Table(DynamoTable table, long minute) => Cached(_tableCache, table.Name, minute, () => ComputeTable(table, minute));

    public ApiMinute Api(string environment, long minute) => Cached(_apiCache, environment, minute, () => ComputeApi(environment, minute));

    private T Cached<T>(ConcurrentDictionary<(string, long), T> cache, string key, long minute, Func<T> compute)
    {
        var complete = StartOf(minute + 1) <= _account.Time.GetUtcNow();
        if (complete && cache.TryGetValue((key, minute), out var cached)) return cached;
        var value = compute();
        if (complete)
        {
            if (cache.Count > MaxCachedMinutes) cache.Clear();
            cache[(key, minute)] = value;
        }
        return value;
    }

    private FunctionMinute? FunctionMinuteOf(string environment, string suffix, long minute) =>
        _functionsByRole.TryGetValue((environment, suffix), out var fn) ? Function(fn, minute) : null;

    private FunctionMinute ComputeFunction(LambdaFunction fn, long minute)
    {
        var key = fn.Name;
        var start = StartOf(minute);
        var p = fn.Profile;
        var expected = p.InvocationsPerMinute * SecureBaseCatalog.Scale(fn.Environment) * Diurnal(minute) * Trends.Factor(p.Suffix, minute, _createdMinute) *
                       (0.85 + 0.3 * Deterministic.Unit(Seed, key + ":inv", minute));
        var invocations = Math.Max(2, Deterministic.StochasticRound(expected, Deterministic.Unit(Seed, key + ":inv-r", minute)));

        if (fn.ReservedConcurrencyAt(start.AddSeconds(30)) == 0)
            return new FunctionMinute(0, 0, invocations, 0, 0, [], 0);

        var routing = fn.TrafficAlias?.At(start.AddSeconds(30)) ?? new AliasRouting(DateTimeOffset.MinValue, "$LATEST", null, 0);
        var additional = routing.AdditionalVersion is null ? 0
            : Math.Min(invocations, Deterministic.StochasticRound(invocations * routing.AdditionalWeight, Deterministic.Unit(Seed, key + ":route", minute)));
        var shares = new List<(string Version, int Invocations)> { (routing.Version, invocations - additional) };
        if (routing.AdditionalVersion is { } extra) shares.Add((extra, additional));

        var index = _account.Faults.Index;
        var faults = index.ForFunction(fn.Name);
        // A throttling table fails some requests after the SDK's retries run out: about 15 % of the throttled share.
        var throttleRate = 0.0;
        if (index.HasTableFaults)
            foreach (var suffix in SecureBaseCatalog.TablesUsedBy(fn.Profile.Suffix))
                throttleRate += 0.15 * FaultIndex.Rate(index.ForTable(SecureBaseCatalog.TableName(fn.Environment, suffix)), start);
        throttleRate = Math.Min(1, throttleRate);
        // Healthy functions fail now and then (0.05 % plus a rare blip of one or two errors), never enough for their alarm.
        const double baselineRate = 0.0005;
        var blip = Deterministic.Unit(Seed, key + ":blip", minute) < 0.003 ? 1 + (int)(Deterministic.Unit(Seed, key + ":blip-n", minute) * 2) : 0;

        var byVersion = new List<VersionMinute>();
        double faultErrors = 0;
        var errors = 0;
        for (var i = 0; i < shares.Count; i++)
        {
            var (version, count) = shares[i];
            var rate = faults.Length == 0 ? 0 : FaultIndex.Rate(faults, start, f => f.Version is null || f.Version == version);
            faultErrors += count * rate;
            var expectedErrors = count * (rate + throttleRate + baselineRate) + (i == 0 ? blip : 0);
            var e = Math.Min(count, Deterministic.StochasticRound(expectedErrors, Deterministic.Unit(Seed, key + ":err:" + version, minute)));
            errors += e;
            byVersion.Add(new VersionMinute(version, count, e));
        }

        var faultShare = invocations == 0 ? 0 : Math.Min(1, faultErrors / invocations);
        var average = p.AverageDurationMs * (0.9 + 0.2 * Deterministic.Unit(Seed, key + ":dur", minute)) * (1 + 0.8 * faultShare);
        var max = Math.Min(p.Timeout * 1000.0, average * (1.8 + 1.5 * Deterministic.Unit(Seed, key + ":dur-max", minute)));
        return new FunctionMinute(invocations, errors, 0, Math.Round(average, 2), Math.Round(max, 2), byVersion, faultShare, throttleRate);
    }

    private TableMinute ComputeTable(DynamoTable table, long minute)
    {
        var env = table.Environment;
        int Inv(string suffix) => FunctionMinuteOf(env, suffix, minute)?.Invocations ?? 0;
        var requests = table.Profile.Suffix switch
        {
            SecureBaseCatalog.UserSessions => Inv(SecureBaseCatalog.SessionManagement) * 2.0 + Inv(SecureBaseCatalog.UserManagement) * 0.3,
            SecureBaseCatalog.UserInvites => Inv(SecureBaseCatalog.UserManagement) * 0.25,
            SecureBaseCatalog.ActivityFeed => Inv(SecureBaseCatalog.UserManagement) * 0.6 + Inv(SecureBaseCatalog.SessionManagement) * 0.3,
            _ => Inv(SecureBaseCatalog.ReportEngine) * 12.0,
        };
        var key = table.Name;
        requests = Math.Round(requests * (0.9 + 0.2 * Deterministic.Unit(Seed, key + ":req", minute)));
        var reads = requests * table.Profile.ReadFraction;
        var writes = requests - reads;
        var itemKb = Math.Max(1, Math.Ceiling(table.Profile.AverageItemBytes / 1024.0));
        var rcu = Math.Round(reads * 0.5 * Math.Ceiling(table.Profile.AverageItemBytes / 4096.0), 1);
        var wcu = Math.Round(writes * itemKb, 1);

        var start = StartOf(minute);
        var rate = FaultIndex.Rate(_account.Faults.Index.ForTable(table.Name), start);
        var throttled = Deterministic.StochasticRound(requests * rate, Deterministic.Unit(Seed, key + ":thr", minute));
        var userErrors = Deterministic.StochasticRound(requests * 0.001, Deterministic.Unit(Seed, key + ":usr", minute));
        var latency = Math.Round(3.5 + 4 * Deterministic.Unit(Seed, key + ":lat", minute) + 20 * rate, 2);
        return new TableMinute(requests, rcu, wcu, throttled, userErrors, latency);
    }

    private ApiMinute ComputeApi(string environment, long minute)
    {
        FunctionMinute? F(string suffix) => FunctionMinuteOf(environment, suffix, minute);
        var users = F(SecureBaseCatalog.UserManagement);
        var sessions = F(SecureBaseCatalog.SessionManagement);
        var reports = F(SecureBaseCatalog.ReportEngine);
        var key = SecureBaseCatalog.ApiName(environment);
        var backendCalls = (users?.Invocations ?? 0) + (sessions?.Invocations ?? 0);
        var count = backendCalls + (int)Math.Round((reports?.Invocations ?? 0) * 0.2);
        var start = StartOf(minute);
        var rate = FaultIndex.Rate(_account.Faults.Index.ForApi(key), start);
        var errors5 = (users?.Errors ?? 0) + (sessions?.Errors ?? 0) +
                      Deterministic.StochasticRound(count * (rate + 0.0005), Deterministic.Unit(Seed, key + ":5xx", minute));
        var errors4 = Deterministic.StochasticRound(count * 0.015 * (0.8 + 0.4 * Deterministic.Unit(Seed, key + ":4xx-n", minute)),
            Deterministic.Unit(Seed, key + ":4xx", minute));
        var weighted = backendCalls == 0 ? 30 :
            ((users?.Invocations ?? 0) * (users?.AverageDurationMs ?? 0) + (sessions?.Invocations ?? 0) * (sessions?.AverageDurationMs ?? 0)) / backendCalls;
        var average = Math.Round(weighted + 18 + 6 * Deterministic.Unit(Seed, key + ":lat", minute), 2);
        var max = Math.Round(average * (2 + 2 * Deterministic.Unit(Seed, key + ":lat-max", minute)), 2);
        return new ApiMinute(count, errors4, Math.Min(count, errors5), average, max);
    }

}
