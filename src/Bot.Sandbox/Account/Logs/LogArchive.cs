using System.Collections.Immutable;
using System.Globalization;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Account.Metrics;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// The log groups <c>/aws/lambda/&lt;function&gt;</c> and their events. Events are generated per minute from
/// the same numbers as the metrics (a sample of the successful invocations, every error up to a cap, a REPORT
/// line each, throttling warnings while a table throttles), so a fault shows up in logs and metrics alike.
/// Only events up to the current time exist; history reaches back <see cref="History"/>. Invocations through
/// the Lambda API add their own lines (<see cref="Append"/>), which read back like the generated ones.
/// </summary>
public sealed class LogArchive
{
    /// <summary>How far back the generated history reaches (never past a group's retention): enough for a month's review.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(35);

    /// <summary>The planted log group whose events never expire (no retention set): prod session-management's.</summary>
    public const string NeverExpiringGroup = "/aws/lambda/securebase-prod-session-management";

    private const int MaxErrorLinesPerMinute = 12;

    private readonly SandboxAccount _account;
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableList<LogEvent>> _written = ImmutableDictionary<string, ImmutableList<LogEvent>>.Empty;
    private long _writtenCount;

    internal LogArchive(SandboxAccount account)
    {
        _account = account;
        Groups = account.Functions
            .Select(fn => new LogGroup(
                SecureBaseCatalog.LogGroupName(fn.Name), fn.Name,
                fn.Versions[0].LastModified.AddDays(-1).ToUnixTimeMilliseconds(),
                SecureBaseCatalog.LogGroupName(fn.Name) == NeverExpiringGroup ? null : fn.Environment == "prod" ? 90 : 14,
                $"arn:aws:logs:{account.Options.Region}:{account.Options.AccountId}:log-group:{SecureBaseCatalog.LogGroupName(fn.Name)}"))
            // The secret rotation function of each environment: only what its rotations write.
            .Concat(account.Environments.Select(env => Secrets.SecretsCatalog.RotationFunctionName(env)).Select(name => new LogGroup(
                SecureBaseCatalog.LogGroupName(name), name,
                account.Created.AddDays(-400).ToUnixTimeMilliseconds() / 1000 * 1000, 30,
                $"arn:aws:logs:{account.Options.Region}:{account.Options.AccountId}:log-group:{SecureBaseCatalog.LogGroupName(name)}")))
            // The account's CloudTrail trail (its function name is the group's: no function writes it).
            .Append(new LogGroup(CloudTrailLines.GroupName, CloudTrailLines.GroupName, account.Created.AddDays(-500).ToUnixTimeMilliseconds() / 1000 * 1000, 365,
                $"arn:aws:logs:{account.Options.Region}:{account.Options.AccountId}:log-group:{CloudTrailLines.GroupName}"))
            .ToList();
    }

    public IReadOnlyList<LogGroup> Groups { get; }

    /// <summary>A group by name or ARN (with or without the trailing <c>:*</c>).</summary>
    public LogGroup? Group(string nameOrArn)
    {
        var name = nameOrArn;
        if (name.StartsWith("arn:", StringComparison.Ordinal))
        {
            var i = name.IndexOf(":log-group:", StringComparison.Ordinal);
            if (i < 0) return null;
            name = name[(i + ":log-group:".Length)..];
            if (name.EndsWith(":*", StringComparison.Ordinal)) name = name[..^2];
        }
        return Groups.FirstOrDefault(g => g.Name == name);
    }

    /// <summary>
    /// What the group holds, as DescribeLogGroups' storedBytes: every invocation's lines (about 420 bytes each, not only the
    /// sample the sandbox shows), for as many days as it keeps (its retention, or since it was made).
    /// </summary>
    public long StoredBytes(LogGroup group)
    {
        var now = _account.Time.GetUtcNow();
        var days = (now - DateTimeOffset.FromUnixTimeMilliseconds(group.CreationTime)).TotalDays;
        if (group.RetentionInDays is { } retention) days = Math.Min(days, retention);
        var perDay = _account.Function(group.FunctionName) is { } fn
            ? fn.Profile.InvocationsPerMinute * SecureBaseCatalog.Scale(fn.Environment) * 1440 * 420 * 0.85
            : group.Name == CloudTrailLines.GroupName ? 860_000.0 : 5 * 4 * 600.0 / 30;
        return (long)(Math.Max(0, days) * perDay);
    }

    /// <summary>
    /// Writes lines to a function's log group, as the function itself would while it runs (ingested a moment
    /// later). They are kept in order of their event ids, which begin with the timestamp.
    /// </summary>
    public void Append(string functionName, IEnumerable<(long At, string Stream, string Message)> lines)
    {
        var group = SecureBaseCatalog.LogGroupName(functionName);
        var tag = Deterministic.Hash(group + ":written") % 1_000_000_000_000_000_000UL;
        lock (_gate)
        {
            var list = _written.GetValueOrDefault(group, []);
            foreach (var (at, stream, message) in lines)
            {
                var n = ++_writtenCount;
                var eventId = string.Create(CultureInfo.InvariantCulture, $"{at:D20}{tag:D18}{n % 10_000_000_000_000_000:D16}99");
                var ev = new LogEvent(group, stream, at, at + 180, eventId, message);
                var index = list.BinarySearch(ev, WrittenOrder.Instance);
                list = list.Insert(index < 0 ? ~index : index, ev);
            }
            _written = _written.SetItem(group, list);
        }
    }

    private sealed class WrittenOrder : IComparer<LogEvent>
    {
        public static readonly WrittenOrder Instance = new();
        public int Compare(LogEvent? x, LogEvent? y) => string.CompareOrdinal(x!.EventId, y!.EventId);
    }

    /// <summary>The group's events with <paramref name="fromMs"/> ≤ timestamp ≤ <paramref name="toMs"/>, oldest first.</summary>
    public IEnumerable<LogEvent> Events(LogGroup group, long? fromMs, long? toMs)
    {
        var fn = _account.Function(group.FunctionName);
        // The rotation function's lines come from the rotations the secrets keep (past ones written when they are made).
        if (fn is null) _ = _account.Secrets;
        var now = _account.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var kept = group.RetentionInDays is { } days ? Math.Min(History.TotalMilliseconds, days * 86_400_000.0) : History.TotalMilliseconds;
        var earliest = now - (long)kept;
        var from = Math.Max(fromMs ?? earliest, earliest);
        var to = Math.Min(toMs ?? now, now);
        if (to < from) yield break;
        var written = _written.GetValueOrDefault(group.Name, []);
        if (fn is null && group.Name == CloudTrailLines.GroupName)
        {
            foreach (var e in CloudTrail(group, from, to)) yield return e;
            yield break;
        }
        if (fn is null)
        {
            foreach (var e in written)
                if (e.Timestamp >= from && e.Timestamp <= to) yield return e;
            yield break;
        }
        for (var minute = MetricModel.MinuteOf(DateTimeOffset.FromUnixTimeMilliseconds(from));
             minute <= MetricModel.MinuteOf(DateTimeOffset.FromUnixTimeMilliseconds(to)); minute++)
        {
            var events = Minute(group, fn, minute);
            if (written.Count > 0)
            {
                var (start, end) = (minute * 60_000, (minute + 1) * 60_000);
                var added = written.Where(e => e.Timestamp >= start && e.Timestamp < end).ToList();
                if (added.Count > 0)
                {
                    events.AddRange(added);
                    events.Sort(WrittenOrder.Instance);
                }
            }
            foreach (var e in events)
                if (e.Timestamp >= from && e.Timestamp <= to) yield return e;
        }
    }

    private IEnumerable<LogEvent> CloudTrail(LogGroup group, long from, long to)
    {
        var stream = $"{_account.Options.AccountId}_CloudTrail_{_account.Options.Region}";
        for (var minute = from / 60_000; minute <= to / 60_000; minute++)
        {
            var i = 0;
            foreach (var (at, message) in CloudTrailLines.Minute(_account, minute).OrderBy(e => e.At))
            {
                if (at < from || at > to) continue;
                var eventId = string.Create(CultureInfo.InvariantCulture, $"{at:D20}{Deterministic.Hash(group.Name) % 1_000_000_000_000_000_000UL:D18}{minute % 1_000_000_000_000_000:D16}{i++:D2}");
                yield return new LogEvent(group.Name, stream, at, at + 300_000, eventId, message);
            }
        }
    }

    private List<LogEvent> Minute(LogGroup group, LambdaFunction fn, long minute)
    {
        var seed = _account.Options.Seed;
        var m = _account.Metrics.Function(fn, minute);
        var start = minute * 60_000;
        var key = fn.Name + ":log";
        var lines = new List<(long At, string Stream, string Message)>();
        var sampled = Math.Min(m.Invocations - m.Errors, fn.Environment == "prod" ? 3 : 2);
        var errorLines = Math.Min(m.Errors, MaxErrorLinesPerMinute);
        var throttled = ThrottledTable(fn, minute);

        for (var j = 0; j < sampled + errorLines; j++)
        {
            var n = minute * 100 + j;
            double U(int salt) => Deterministic.Unit(seed, key, n, salt);
            var isError = j >= sampled;
            var version = PickVersion(m, isError, U(20));
            var requestId = Deterministic.Guid(seed, key + ":req", n).ToString();
            var at = start + (long)(U(21) * 57_000);
            var stream = StreamName(fn, version, minute);
            var duration = Math.Max(1, m.AverageDurationMs * (0.5 + U(22)));
            if (isError)
            {
                var draw = U(23) * Math.Max(1, m.Errors) / Math.Max(1, m.Invocations);
                var cause = draw < m.FaultShare ? ErrorCause.BadVersion
                    : draw < m.FaultShare + m.ThrottleShare && throttled is not null ? ErrorCause.Throttling
                    : ErrorCause.Everyday;
                lines.Add((at, stream, LogLines.Error(fn, at, requestId, version, cause, throttled, U)));
            }
            else
            {
                lines.Add((at, stream, LogLines.Info(fn, at, requestId, U)));
                if (throttled is { } table && U(24) < 0.6)
                    lines.Add((at + 5, stream, LogLines.ThrottleWarning(fn, at + 5, requestId, table, 1 + (int)(U(25) * 3))));
            }
            // A new execution environment (every two hours in the stream names, and now and then besides) starts cold.
            var (coldRate, initMin, initSpread) = Metrics.Trends.ColdStart(fn.Profile.Runtime);
            double? init = (j == 0 && minute % 120 == 0) || U(27) < coldRate ? Math.Round(initMin + initSpread * U(28), 2) : null;
            lines.Add((at + (long)duration, stream, LogLines.Report(fn, requestId, duration, Metrics.Trends.MemoryShare(fn.Profile.Suffix, U(26)), init)));
        }

        foreach (var (at, message) in SecurityLogLines.For(_account, fn, minute))
            lines.Add((at, StreamName(fn, PickVersion(m, false, 0), minute), message));
        lines.Sort((a, b) => a.At.CompareTo(b.At));
        var events = new List<LogEvent>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var (at, stream, message) = lines[i];
            var ingestion = at + 150 + (long)(Deterministic.Unit(seed, key + ":ing", minute, i) * 700);
            var eventId = string.Create(CultureInfo.InvariantCulture,
                $"{at:D20}{Deterministic.Hash(group.Name) % 1_000_000_000_000_000_000UL:D18}{minute % 1_000_000_000_000_000:D16}{i:D2}");
            events.Add(new LogEvent(group.Name, stream, at, ingestion, eventId, message));
        }
        return events;
    }

    private static string PickVersion(FunctionMinute m, bool isError, double u)
    {
        if (m.ByVersion.Count == 0) return "$LATEST";
        var weights = m.ByVersion.Select(v => (double)(isError ? v.Errors : v.Invocations - v.Errors)).ToArray();
        var total = weights.Sum();
        if (total <= 0) return m.ByVersion[0].Version;
        var x = u * total;
        for (var i = 0; i < weights.Length; i++)
        {
            if (x < weights[i]) return m.ByVersion[i].Version;
            x -= weights[i];
        }
        return m.ByVersion[^1].Version;
    }

    /// <summary>The table this function talks to that is throttling in this minute, if any.</summary>
    private string? ThrottledTable(LambdaFunction fn, long minute)
    {
        if (!_account.Faults.Index.HasTableFaults) return null;
        foreach (var suffix in SecureBaseCatalog.TablesUsedBy(fn.Profile.Suffix))
        {
            var table = _account.Table(SecureBaseCatalog.TableName(fn.Environment, suffix));
            if (table is not null && _account.Metrics.Table(table, minute).Throttled > 0) return table.Name;
        }
        return null;
    }

    /// <summary>Lambda's stream names: <c>yyyy/MM/dd/[version]&lt;32 hex&gt;</c>, one execution environment every two hours.</summary>
    private string StreamName(LambdaFunction fn, string version, long minute)
    {
        var slot = minute / 120;
        var start = MetricModel.StartOf(slot * 120);
        var id = Deterministic.Guid(_account.Options.Seed, fn.Name + ":stream:" + version, slot).ToString("N");
        return $"{start.UtcDateTime:yyyy'/'MM'/'dd}/[{version}]{id}";
    }
}
