namespace Bot.Sandbox.Faults;

/// <summary>Something the sandbox was told to do wrong. Each has an id for clearing it one by one.</summary>
public abstract record Fault(string Id)
{
    /// <summary>The name used on the control API, e.g. <c>function-errors</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Whether it still acts (window faults stay in the history after they end, so past metrics stay put).</summary>
    public abstract bool IsActive { get; }
}

/// <summary>A fault that changes the account's data (metrics, logs, alarms) over a time window.</summary>
public abstract record WindowFault(string Id, DateTimeOffset Start, DateTimeOffset? End) : Fault(Id)
{
    public override bool IsActive => End is null;

    /// <summary>The fraction of the minute starting at <paramref name="minuteStart"/> the fault covers.</summary>
    public double Coverage(DateTimeOffset minuteStart)
    {
        var minuteEnd = minuteStart.AddMinutes(1);
        var from = Start > minuteStart ? Start : minuteStart;
        var to = End is { } e && e < minuteEnd ? e : minuteEnd;
        return to <= from ? 0 : (to - from).TotalSeconds / 60.0;
    }
}

/// <summary>A function version (null: every version) fails a share of its invocations.</summary>
public sealed record FunctionErrorFault(string Id, string Function, string? Version, double Rate, DateTimeOffset Start, DateTimeOffset? End)
    : WindowFault(Id, Start, End)
{
    public override string Kind => "function-errors";
}

/// <summary>The next version published of a function will be a bad one (becomes a <see cref="FunctionErrorFault"/>).</summary>
public sealed record BadNextVersionFault(string Id, string Function, double Rate) : Fault(Id)
{
    public override string Kind => "bad-next-version";
    public override bool IsActive => true;
}

/// <summary>A table throttles a share of its requests.</summary>
public sealed record TableThrottleFault(string Id, string Table, double Rate, DateTimeOffset Start, DateTimeOffset? End)
    : WindowFault(Id, Start, End)
{
    public override string Kind => "table-throttle";
}

/// <summary>An API answers a share of its requests with 5xx.</summary>
public sealed record ApiErrorFault(string Id, string Api, double Rate, DateTimeOffset Start, DateTimeOffset? End)
    : WindowFault(Id, Start, End)
{
    public override string Kind => "api-errors";
}

/// <summary>Requests to an operation or service (null: all) are answered after a delay.</summary>
public sealed record LatencyFault(string Id, string? Target, TimeSpan Delay) : Fault(Id)
{
    public override string Kind => "latency";
    public override bool IsActive => true;
}

/// <summary>Requests to an operation or service fail with the given AWS error, a number of times or until cleared.</summary>
public sealed record ErrorFault(string Id, string Target, string Code, int Status, string Message, int? Times) : Fault(Id)
{
    public override string Kind => "error";
    public override bool IsActive => true;
}
