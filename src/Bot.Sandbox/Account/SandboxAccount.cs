using System.Collections.Immutable;
using Bot.Sandbox.Account.Alarms;
using Bot.Sandbox.Account.Costs;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Account.Logs;
using Bot.Sandbox.Account.Metrics;
using Bot.Sandbox.Faults;

namespace Bot.Sandbox.Account;

/// <summary>
/// The simulated SecureBase AWS account: environments × (four tables, three functions, one API), log
/// groups, metrics, alarms and a month of costs. Everything is generated from <see cref="SandboxOptions.Seed"/>
/// relative to the clock at creation, so a FakeTimeProvider gives the same account every time. Thread-safe:
/// Lambda mutations take a lock; readers see immutable snapshots.
/// </summary>
public sealed partial class SandboxAccount
{
    /// <summary>The log group the account's CloudTrail trail delivers to (for <c>Security__CloudTrailLogGroup</c>).</summary>
    public const string CloudTrailLogGroup = Bot.Sandbox.Account.Logs.CloudTrailLines.GroupName;

    private readonly Lock _gate = new();
    private readonly ImmutableDictionary<string, LambdaFunction> _functions;
    private readonly ImmutableDictionary<string, DynamoTable> _tables;
    private int _revision;

    public SandboxAccount(SandboxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Environments.Count == 0) throw new ArgumentException("The sandbox needs at least one environment.", nameof(options));
        Options = options;
        Time = time;
        Created = time.GetUtcNow();
        Environments = [.. options.Environments];
        ApiNames = [.. Environments.Select(SecureBaseCatalog.ApiName)];

        _functions = Environments
            .SelectMany(env => SecureBaseCatalog.Functions.Select(p => SandboxGenerator.Function(this, env, p)))
            .ToImmutableDictionary(f => f.Name, StringComparer.Ordinal);
        _tables = Environments
            .SelectMany(env => SecureBaseCatalog.Tables.Select(p => SandboxGenerator.Table(this, env, p)))
            .ToImmutableDictionary(t => t.Name, StringComparer.Ordinal);

        Faults = new SandboxFaults(this);
        Metrics = new MetricModel(this);
        Logs = new LogArchive(this);
        Alarms = new AlarmBook(this);
        Costs = new CostModel(this);
        DynamoDb = new DynamoDbTables(this);
        S3 = new S3.ReportBuckets(this);
        AutoScaling = new AutoScaling.ScalingRegistry(this);
        PagerDuty = new PagerDuty.SandboxPagerDuty(options.PagerDuty, time, options.Seed);

        if (options.StartWithOpenIncident && Environments.Contains("prod"))
            Faults.OpenIncidentSince(SecureBaseCatalog.ApiName("prod"), 0.09, Created.AddMinutes(-25));
    }

    public SandboxOptions Options { get; }
    public TimeProvider Time { get; }

    /// <summary>When the account was generated; generated history is relative to it.</summary>
    public DateTimeOffset Created { get; }

    public ImmutableArray<string> Environments { get; }
    public ImmutableArray<string> ApiNames { get; }
    public SandboxFaults Faults { get; }
    public MetricModel Metrics { get; }
    public LogArchive Logs { get; }
    public AlarmBook Alarms { get; }
    public CostModel Costs { get; }
    /// <summary>The simulated PagerDuty account that pages about this one.</summary>
    public PagerDuty.SandboxPagerDuty PagerDuty { get; }

    public IEnumerable<LambdaFunction> Functions => _functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal);
    public IEnumerable<DynamoTable> Tables => _tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal);

    public LambdaFunction? Function(string name) => _functions.GetValueOrDefault(name);
    public DynamoTable? Table(string name) => _tables.GetValueOrDefault(name);

    /// <summary>
    /// The earliest moment the account's activity departed from its generated baseline: a fault starting, an
    /// alias moving, a concurrency change. Null when it never did. Before it, alarms sit in their baseline state.
    /// </summary>
    public DateTimeOffset? EarliestChange()
    {
        DateTimeOffset? earliest = null;
        void Consider(DateTimeOffset t)
        {
            if (t != DateTimeOffset.MinValue && (earliest is null || t < earliest)) earliest = t;
        }
        foreach (var fault in Faults.All.OfType<Faults.WindowFault>()) Consider(fault.Start);
        foreach (var fn in _functions.Values)
        {
            foreach (var alias in fn.Aliases.Values)
                foreach (var routing in alias.History) Consider(routing.From);
            foreach (var setting in fn.Concurrency) Consider(setting.From);
        }
        return earliest;
    }

    public string FunctionArn(string name, string? qualifier = null) =>
        $"arn:aws:lambda:{Options.Region}:{Options.AccountId}:function:{name}" + (qualifier is null ? "" : ":" + qualifier);

    internal string NextRevisionId(string purpose) => Deterministic.Guid(Options.Seed, "revision:" + purpose, Interlocked.Increment(ref _revision)).ToString();
}
