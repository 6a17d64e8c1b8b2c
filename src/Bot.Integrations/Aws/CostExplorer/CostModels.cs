namespace Bot.Integrations.Aws.CostExplorer;

// Shapes from fixtures/aws/shapes/ce.shapes.json. Dates are yyyy-MM-dd strings; End is exclusive.

public sealed record DateInterval(string Start, string End);

public sealed record GroupDefinition(string Type, string Key);

public sealed record DimensionValues
{
    public required string Key { get; init; }
    public required List<string> Values { get; init; }
}

public sealed record CostFilter
{
    public DimensionValues? Dimensions { get; init; }
}

public sealed record GetCostAndUsageRequest
{
    public required DateInterval TimePeriod { get; init; }
    /// <summary>DAILY, MONTHLY or HOURLY.</summary>
    public required string Granularity { get; init; }
    public required List<string> Metrics { get; init; }
    public List<GroupDefinition>? GroupBy { get; init; }
    public CostFilter? Filter { get; init; }
    public string? NextPageToken { get; init; }
}

public sealed record MetricValue
{
    public string? Amount { get; init; }
    public string? Unit { get; init; }

    public decimal Value => decimal.TryParse(Amount, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0m;
}

public sealed record CostGroup
{
    public List<string> Keys { get; init; } = [];
    public Dictionary<string, MetricValue> Metrics { get; init; } = [];
}

public sealed record ResultByTime
{
    public DateInterval? TimePeriod { get; init; }
    public Dictionary<string, MetricValue> Total { get; init; } = [];
    public List<CostGroup> Groups { get; init; } = [];
    public bool Estimated { get; init; }
}

public sealed record GetCostAndUsageResponse
{
    public List<ResultByTime> ResultsByTime { get; init; } = [];
    public List<GroupDefinition> GroupDefinitions { get; init; } = [];
    public string? NextPageToken { get; init; }
}

public sealed record GetCostForecastRequest
{
    /// <summary>Start no earlier than today (UTC); End exclusive.</summary>
    public required DateInterval TimePeriod { get; init; }
    /// <summary>UNBLENDED_COST, BLENDED_COST, …</summary>
    public required string Metric { get; init; }
    /// <summary>DAILY or MONTHLY.</summary>
    public required string Granularity { get; init; }
    public CostFilter? Filter { get; init; }
    public int? PredictionIntervalLevel { get; init; }
}

public sealed record ForecastResult
{
    public DateInterval? TimePeriod { get; init; }
    public string? MeanValue { get; init; }
    public string? PredictionIntervalLowerBound { get; init; }
    public string? PredictionIntervalUpperBound { get; init; }
}

public sealed record GetCostForecastResponse
{
    public MetricValue? Total { get; init; }
    public List<ForecastResult> ForecastResultsByTime { get; init; } = [];
}
