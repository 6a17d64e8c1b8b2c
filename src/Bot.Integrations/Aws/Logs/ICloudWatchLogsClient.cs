namespace Bot.Integrations.Aws.Logs;

/// <summary>The CloudWatch Logs operations the bot uses (AWS JSON 1.1).</summary>
[AwsClient("logs")]
public interface ICloudWatchLogsClient
{
    /// <summary>One page of FilterLogEvents.</summary>
    Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken cancellationToken);

    /// <summary>Follows <c>nextToken</c> until <paramref name="maxEvents"/> events are collected or the pages run out.</summary>
    [IamAction("FilterLogEvents")]
    Task<LogSearchResult> FilterAllLogEventsAsync(FilterLogEventsRequest request, int maxEvents, CancellationToken cancellationToken);

    Task<string> StartQueryAsync(StartQueryRequest request, CancellationToken cancellationToken);
    Task<GetQueryResultsResponse> GetQueryResultsAsync(string queryId, CancellationToken cancellationToken);

    /// <summary>Every log group whose name starts with <paramref name="prefix"/> (follows <c>nextToken</c>): retention and stored bytes.</summary>
    Task<IReadOnlyList<LogGroup>> DescribeLogGroupsAsync(string prefix, CancellationToken cancellationToken);
}
