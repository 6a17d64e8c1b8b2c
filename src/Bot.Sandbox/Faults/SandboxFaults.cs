using System.Collections.Immutable;
using Bot.Sandbox.Account;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Faults;

/// <summary>
/// Makes the sandbox misbehave so incidents and rollbacks can be rehearsed: a function version starts
/// erroring, a table throttles, an API returns 5xx, an operation gets slow or fails with an AWS error.
/// Data faults act from the moment they are set; clearing them ends them at that moment, so the history
/// (metrics, logs, alarm transitions) stays what it was.
/// </summary>
public sealed partial class SandboxFaults
{
    private readonly Lock _gate = new();
    private readonly SandboxAccount _account;
    private readonly Dictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private ImmutableList<Fault> _faults = [];
    private int _next;

    internal SandboxFaults(SandboxAccount account) => _account = account;

    /// <summary>Every fault, including ended data faults (which still shape past data).</summary>
    public ImmutableList<Fault> All => _faults;

    private FaultIndex? _index;

    /// <summary>The data faults grouped by target, rebuilt when the fault list changes.</summary>
    internal FaultIndex Index
    {
        get
        {
            var faults = _faults;
            var index = Volatile.Read(ref _index);
            if (index is null || !ReferenceEquals(index.Source, faults))
            {
                index = new FaultIndex(faults);
                Volatile.Write(ref _index, index);
            }
            return index;
        }
    }

    /// <summary>The faults that still act.</summary>
    public IReadOnlyList<Fault> Active => _faults.Where(f => f.IsActive).ToList();

    /// <summary>
    /// Makes a function fail <paramref name="rate"/> of its invocations from now on. <paramref name="version"/>
    /// null means the version its <c>PROD</c> alias points at now (so rolling the alias back stops the errors);
    /// <c>*</c> means every version.
    /// </summary>
    public FunctionErrorFault FunctionErrors(string function, double rate = 0.5, string? version = null)
    {
        CheckRate(rate);
        var fn = _account.Function(function) ?? throw new ArgumentException($"There is no function named '{function}'.", nameof(function));
        string? target;
        if (version == "*") target = null;
        else if (version is null) target = fn.TrafficAlias?.Current.Version;
        else if (fn.Versions.Any(v => v.Version == version)) target = version;
        else throw new ArgumentException($"Function '{function}' has no published version '{version}'.", nameof(version));
        return Add(id => new FunctionErrorFault(id, fn.Name, target, rate, Now, null));
    }

    /// <summary>The next version published of <paramref name="function"/> fails <paramref name="rate"/> of its invocations once it takes traffic.</summary>
    public BadNextVersionFault BadNextVersion(string function, double rate = 0.5)
    {
        CheckRate(rate);
        var fn = _account.Function(function) ?? throw new ArgumentException($"There is no function named '{function}'.", nameof(function));
        return Add(id => new BadNextVersionFault(id, fn.Name, rate));
    }

    /// <summary>Makes a table throttle <paramref name="rate"/> of its requests from now on.</summary>
    public TableThrottleFault TableThrottles(string table, double rate = 0.2)
    {
        CheckRate(rate);
        var t = _account.Table(table) ?? throw new ArgumentException($"There is no table named '{table}'.", nameof(table));
        return Add(id => new TableThrottleFault(id, t.Name, rate, Now, null));
    }

    /// <summary>Makes an API (<c>securebase-&lt;env&gt;-api</c>) answer <paramref name="rate"/> of its requests with 5xx from now on.</summary>
    public ApiErrorFault ApiErrors(string api, double rate = 0.1)
    {
        CheckRate(rate);
        if (!_account.ApiNames.Contains(api)) throw new ArgumentException($"There is no API named '{api}'.", nameof(api));
        return Add(id => new ApiErrorFault(id, api, rate, Now, null));
    }

    /// <summary>Delays answers to an operation (<c>DescribeTable</c>), a service (<c>lambda</c>, <c>dynamodb</c>, <c>monitoring</c> or <c>cloudwatch</c>, <c>logs</c>, <c>ce</c>) or, with null, everything.</summary>
    public LatencyFault Latency(TimeSpan delay, string? target = null)
    {
        if (delay <= TimeSpan.Zero || delay > TimeSpan.FromMinutes(5))
            throw new ArgumentException("The delay must be between 1 ms and 5 minutes.", nameof(delay));
        return Add(id => new LatencyFault(id, NormalizeTarget(target), delay));
    }

    /// <summary>Makes an operation or service fail with an AWS error code and HTTP status, <paramref name="times"/> times (null: until cleared).</summary>
    public ErrorFault Error(string target, string code, int status = 400, string? message = null, int? times = null)
    {
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("Say which operation or service should fail.", nameof(target));
        if (string.IsNullOrWhiteSpace(code) || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_'))
            throw new ArgumentException("The error code must be a plain AWS error code such as ThrottlingException.", nameof(code));
        if (status is < 400 or > 599) throw new ArgumentException("The status must be a 4xx or 5xx HTTP status.", nameof(status));
        if (times is <= 0) throw new ArgumentException("times must be positive.", nameof(times));
        var fault = Add(id => new ErrorFault(id, NormalizeTarget(target)!, code, status, message ?? $"Sandbox fault: {code}", times));
        if (times is { } n) lock (_gate) _remaining[fault.Id] = n;
        return fault;
    }

    /// <summary>Ends one fault. False when there is no active fault with that id.</summary>
    public bool Clear(string id)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Id == id && f.IsActive);
            if (fault is null) return false;
            _faults = fault is WindowFault w ? _faults.Replace(fault, End(w)) : _faults.Remove(fault);
            _remaining.Remove(id);
            return true;
        }
    }

    /// <summary>Ends every fault (data faults keep their history).</summary>
    public void ClearAll()
    {
        lock (_gate)
        {
            _faults = _faults.Where(f => f is WindowFault).Select(f => f.IsActive ? End((WindowFault)f) : f).ToImmutableList();
            _remaining.Clear();
        }
    }

    private int _held;

    /// <summary>How many requests a latency fault is holding right now.</summary>
    public int HeldRequests => Volatile.Read(ref _held);

    /// <summary>Waits out the latency fault for <paramref name="operation"/>, if any, on the account's clock.</summary>
    internal async Task DelayAsync(SandboxOperation operation, CancellationToken cancellationToken)
    {
        var delay = DelayFor(operation);
        if (delay <= TimeSpan.Zero) return;
        // Start the timer before counting the request as held, so whoever sees the count can move the clock past it.
        var waiting = Task.Delay(delay, _account.Time, cancellationToken);
        Interlocked.Increment(ref _held);
        try
        {
            await waiting;
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    /// <summary>The delay for a request to <paramref name="operation"/>, if any.</summary>
    internal TimeSpan DelayFor(SandboxOperation operation) =>
        _faults.OfType<LatencyFault>().Where(f => Matches(f.Target, operation)).Select(f => f.Delay).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>The error a request to <paramref name="operation"/> must fail with, if any (counts down limited faults).</summary>
    internal AwsException? ErrorFor(SandboxOperation operation)
    {
        lock (_gate)
        {
            var fault = _faults.OfType<ErrorFault>().FirstOrDefault(f => Matches(f.Target, operation));
            if (fault is null) return null;
            if (_remaining.TryGetValue(fault.Id, out var left))
            {
                if (left <= 1)
                {
                    _remaining.Remove(fault.Id);
                    _faults = _faults.Remove(fault);
                }
                else _remaining[fault.Id] = left - 1;
            }
            return new AwsException(fault.Code, fault.Message, fault.Status);
        }
    }

    /// <summary>The share of <paramref name="version"/>'s invocations failing at <paramref name="at"/> under the function-errors faults in force (at most 1).</summary>
    internal double FunctionErrorRate(string function, string version, DateTimeOffset at) =>
        Math.Min(1, Index.ForFunction(function)
            .Where(f => (f.Version is null || f.Version == version) && f.Start <= at && (f.End is null || f.End > at))
            .Sum(f => f.Rate));

    /// <summary>Turns a pending bad-next-version fault into a function-errors fault on the version just published.</summary>
    internal void OnVersionPublished(string function, string version, DateTimeOffset at)
    {
        lock (_gate)
        {
            var pending = _faults.OfType<BadNextVersionFault>().FirstOrDefault(f => f.Function == function);
            if (pending is null) return;
            _faults = _faults.Replace(pending, new FunctionErrorFault(pending.Id, function, version, pending.Rate, at, null));
        }
    }

    /// <summary>The open incident the account starts with: elevated 5xx on an API since <paramref name="since"/>.</summary>
    internal void OpenIncidentSince(string api, double rate, DateTimeOffset since) =>
        Add(id => new ApiErrorFault(id, api, rate, since, null));

    private T Add<T>(Func<string, T> create) where T : Fault
    {
        lock (_gate)
        {
            var fault = create($"f{++_next}");
            _faults = _faults.Add(fault);
            return fault;
        }
    }

    private WindowFault End(WindowFault fault) => fault with { End = Now };

    private DateTimeOffset Now => _account.Time.GetUtcNow();

    private static void CheckRate(double rate)
    {
        if (double.IsNaN(rate) || rate <= 0 || rate > 1) throw new ArgumentException("The rate must be more than 0 and at most 1.", nameof(rate));
    }

    private static string? NormalizeTarget(string? target) => target?.Trim() switch
    {
        null or "" or "*" => null,
        "cloudwatch" => "monitoring",
        var t => t,
    };

    private static bool Matches(string? target, SandboxOperation operation) =>
        target is null || target == operation.Name || target == operation.SigningName;
}
