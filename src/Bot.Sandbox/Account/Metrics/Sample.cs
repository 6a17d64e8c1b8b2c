namespace Bot.Sandbox.Account.Metrics;

/// <summary>What CloudWatch keeps per datapoint: sum, sample count, minimum and maximum.</summary>
public readonly record struct Sample(double Sum, double Count, double Min, double Max)
{
    public static readonly Sample None = new(0, 0, double.PositiveInfinity, double.NegativeInfinity);

    public bool IsEmpty => Count <= 0;
    public double Average => Count > 0 ? Sum / Count : 0;

    /// <summary>A counter reported once per minute (DynamoDB consumed capacity, throttles).</summary>
    public static Sample Counter(double value) => new(value, 1, value, value);

    /// <summary>An event count out of <paramref name="requests"/> requests (errors: the average is the error rate).</summary>
    public static Sample Rate(double events, double requests) =>
        requests <= 0 ? None : new Sample(events, requests, 0, events > 0 ? 1 : 0);

    /// <summary>A per-request measurement (durations, latencies).</summary>
    public static Sample Measure(double average, double min, double max, double requests) =>
        requests <= 0 ? None : new Sample(average * requests, requests, min, max);

    public Sample Add(Sample other) => other.IsEmpty ? this : IsEmpty ? other :
        new Sample(Sum + other.Sum, Count + other.Count, Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}
