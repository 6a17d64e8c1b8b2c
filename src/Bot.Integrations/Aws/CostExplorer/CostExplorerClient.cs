using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.CostExplorer;

public sealed class CostExplorerClient(HttpClient http) : ICostExplorerClient
{
    private const int MaxPages = 20;
    private readonly AwsJsonRpc _rpc = new(http, AwsService.CostExplorer, "1.1", "AWSInsightsIndexService", AwsJson.Pascal);

    public async Task<GetCostAndUsageResponse> GetCostAndUsageAsync(GetCostAndUsageRequest request, CancellationToken cancellationToken)
    {
        var results = new List<ResultByTime>();
        List<GroupDefinition> definitions = [];
        var next = request;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await _rpc.CallAsync<GetCostAndUsageRequest, GetCostAndUsageResponse>("GetCostAndUsage", next, cancellationToken);
            foreach (var result in response.ResultsByTime)
            {
                // A later page can continue the groups of a period an earlier page began.
                var same = results.FindIndex(r => r.TimePeriod?.Start == result.TimePeriod?.Start);
                if (same >= 0) results[same] = results[same] with { Groups = [.. results[same].Groups, .. result.Groups] };
                else results.Add(result);
            }
            if (response.GroupDefinitions.Count > 0) definitions = response.GroupDefinitions;
            if (string.IsNullOrEmpty(response.NextPageToken)) break;
            next = request with { NextPageToken = response.NextPageToken };
        }
        return new GetCostAndUsageResponse { ResultsByTime = results, GroupDefinitions = definitions };
    }

    public Task<GetCostForecastResponse> GetCostForecastAsync(GetCostForecastRequest request, CancellationToken cancellationToken) =>
        _rpc.CallAsync<GetCostForecastRequest, GetCostForecastResponse>("GetCostForecast", request, cancellationToken);
}
