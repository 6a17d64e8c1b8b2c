namespace Bot.Sandbox.Account.Metrics;

/// <summary>What one function did in one minute.</summary>
/// <param name="ByVersion">Invocations and errors per version that served traffic.</param>
/// <param name="FaultShare">The share of invocations failing because of a function fault (0 when healthy).</param>
/// <param name="ThrottleShare">The share failing because a table it uses throttles (retries exhausted).</param>
public sealed record FunctionMinute(
    int Invocations,
    int Errors,
    int Throttles,
    double AverageDurationMs,
    double MaxDurationMs,
    IReadOnlyList<VersionMinute> ByVersion,
    double FaultShare,
    double ThrottleShare = 0);

public sealed record VersionMinute(string Version, int Invocations, int Errors);

/// <summary>What one table did in one minute.</summary>
public sealed record TableMinute(double Requests, double ReadCapacity, double WriteCapacity, int Throttled, int UserErrors, double LatencyMs);

/// <summary>What one API did in one minute.</summary>
public sealed record ApiMinute(int Count, int Errors4xx, int Errors5xx, double AverageLatencyMs, double MaxLatencyMs);
