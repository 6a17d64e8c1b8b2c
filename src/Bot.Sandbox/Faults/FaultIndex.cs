using System.Collections.Immutable;

namespace Bot.Sandbox.Faults;

/// <summary>The data faults of one fault list, grouped by what they target, for fast per-minute lookups.</summary>
internal sealed class FaultIndex
{
    private static readonly FunctionErrorFault[] NoFunctionFaults = [];
    private static readonly TableThrottleFault[] NoTableFaults = [];
    private static readonly ApiErrorFault[] NoApiFaults = [];

    private readonly Dictionary<string, FunctionErrorFault[]> _functions;
    private readonly Dictionary<string, TableThrottleFault[]> _tables;
    private readonly Dictionary<string, ApiErrorFault[]> _apis;

    public FaultIndex(ImmutableList<Fault> source)
    {
        Source = source;
        _functions = source.OfType<FunctionErrorFault>().GroupBy(f => f.Function).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _tables = source.OfType<TableThrottleFault>().GroupBy(f => f.Table).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _apis = source.OfType<ApiErrorFault>().GroupBy(f => f.Api).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The fault list this index was built from.</summary>
    public ImmutableList<Fault> Source { get; }

    public bool HasTableFaults => _tables.Count > 0;

    public FunctionErrorFault[] ForFunction(string name) => _functions.GetValueOrDefault(name, NoFunctionFaults);
    public TableThrottleFault[] ForTable(string name) => _tables.GetValueOrDefault(name, NoTableFaults);
    public ApiErrorFault[] ForApi(string name) => _apis.GetValueOrDefault(name, NoApiFaults);

    /// <summary>The summed rate of <paramref name="faults"/> over the minute starting at <paramref name="minuteStart"/>, at most 1.</summary>
    public static double Rate<T>(T[] faults, DateTimeOffset minuteStart, Func<T, bool>? applies = null) where T : WindowFault
    {
        var rate = 0.0;
        foreach (var f in faults)
            if (applies is null || applies(f)) rate += Rate(f) * f.Coverage(minuteStart);
        return Math.Min(1, rate);
    }

    private static double Rate(WindowFault fault) => fault switch
    {
        FunctionErrorFault f => f.Rate,
        TableThrottleFault t => t.Rate,
        ApiErrorFault a => a.Rate,
        _ => 0,
    };
}
