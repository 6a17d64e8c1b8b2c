using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.Logs;

public sealed class CloudWatchLogsClient(HttpClient http) : ICloudWatchLogsClient
{
    private const int MaxPages = 100;
    private readonly AwsJsonRpc _rpc = new(http, AwsService.CloudWatchLogs, "1.1", "Logs_20140328", AwsJson.Camel);

    public Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken cancellationToken) =>
        _rpc.CallAsync<FilterLogEventsRequest, FilterLogEventsResponse>("FilterLogEvents", request, cancellationToken);

    public async Task<LogSearchResult> FilterAllLogEventsAsync(FilterLogEventsRequest request, int maxEvents, CancellationToken cancellationToken)
    {
        var events = new List<FilteredLogEvent>();
        var next = request;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await FilterLogEventsAsync(next, cancellationToken);
            events.AddRange(response.Events);
            if (string.IsNullOrEmpty(response.NextToken)) return new LogSearchResult(events, Truncated: false);
            if (events.Count >= maxEvents) return new LogSearchResult(events, Truncated: true);
            next = request with { NextToken = response.NextToken };
        }
        return new LogSearchResult(events, Truncated: true);
    }

    public async Task<string> StartQueryAsync(StartQueryRequest request, CancellationToken cancellationToken)
    {
        var response = await _rpc.CallAsync<StartQueryRequest, StartQueryResponse>("StartQuery", request, cancellationToken);
        return response.QueryId ?? throw new AwsServiceException(AwsService.CloudWatchLogs.Name, "MalformedResponse", "StartQuery returned no queryId", System.Net.HttpStatusCode.OK, null);
    }

    public Task<GetQueryResultsResponse> GetQueryResultsAsync(string queryId, CancellationToken cancellationToken) =>
        _rpc.CallAsync<GetQueryResultsRequest, GetQueryResultsResponse>("GetQueryResults", new GetQueryResultsRequest { QueryId = queryId }, cancellationToken);

    public async Task<IReadOnlyList<LogGroup>> DescribeLogGroupsAsync(string prefix, CancellationToken cancellationToken)
    {
        var groups = new List<LogGroup>();
        var request = new DescribeLogGroupsRequest { LogGroupNamePrefix = prefix };
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await _rpc.CallAsync<DescribeLogGroupsRequest, DescribeLogGroupsResponse>("DescribeLogGroups", request, cancellationToken);
            groups.AddRange(response.LogGroups);
            if (string.IsNullOrEmpty(response.NextToken)) break;
            request = request with { NextToken = response.NextToken };
        }
        return groups;
    }
}
