namespace Bot.Integrations.Aws.Logs;

// Shapes from fixtures/aws/shapes/logs.shapes.json: camelCase members, times in epoch milliseconds
// (StartQuery's startTime/endTime are epoch seconds, as its documentation says).

public sealed record FilterLogEventsRequest
{
    public required string LogGroupName { get; init; }
    public long? StartTime { get; init; }
    public long? EndTime { get; init; }
    public string? FilterPattern { get; init; }
    public string? NextToken { get; init; }
    public int? Limit { get; init; }
}

public sealed record FilteredLogEvent
{
    public string? LogStreamName { get; init; }
    public long Timestamp { get; init; }
    public string? Message { get; init; }
    public long IngestionTime { get; init; }
    public string? EventId { get; init; }

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Timestamp);
}

public sealed record FilterLogEventsResponse
{
    public List<FilteredLogEvent> Events { get; init; } = [];
    public string? NextToken { get; init; }
}

/// <summary>What a paged FilterLogEvents search found.</summary>
public sealed record LogSearchResult(IReadOnlyList<FilteredLogEvent> Events, bool Truncated);

public sealed record StartQueryRequest
{
    public List<string>? LogGroupNames { get; init; }
    public required long StartTime { get; init; }
    public required long EndTime { get; init; }
    public required string QueryString { get; init; }
    public int? Limit { get; init; }
}

public sealed record StartQueryResponse
{
    public string? QueryId { get; init; }
}

public sealed record GetQueryResultsRequest
{
    public required string QueryId { get; init; }
}

public sealed record ResultField
{
    public string? Field { get; init; }
    public string? Value { get; init; }
}

public sealed record QueryStatistics
{
    public double RecordsMatched { get; init; }
    public double RecordsScanned { get; init; }
    public double BytesScanned { get; init; }
}

public sealed record GetQueryResultsResponse
{
    public List<List<ResultField>> Results { get; init; } = [];
    public QueryStatistics? Statistics { get; init; }
    /// <summary>Scheduled, Running, Complete, Failed, Cancelled, Timeout, Unknown.</summary>
    public string? Status { get; init; }
}

public sealed record DescribeLogGroupsRequest
{
    public string? LogGroupNamePrefix { get; init; }
    public string? NextToken { get; init; }
    public int? Limit { get; init; }
}

public sealed record LogGroup
{
    public string? LogGroupName { get; init; }
    /// <summary>Absent when events never expire.</summary>
    public int? RetentionInDays { get; init; }
    public long StoredBytes { get; init; }
    public long CreationTime { get; init; }
}

public sealed record DescribeLogGroupsResponse
{
    public List<LogGroup> LogGroups { get; init; } = [];
    public string? NextToken { get; init; }
}
