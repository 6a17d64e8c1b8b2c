namespace Bot.Integrations.Aws.CostExplorer;

/// <summary>Cost Explorer (AWS JSON 1.1, always signed for us-east-1).</summary>
[AwsClient("ce")]
public interface ICostExplorerClient
{
    /// <summary>All pages of GetCostAndUsage merged (results by time concatenated in order).</summary>
    Task<GetCostAndUsageResponse> GetCostAndUsageAsync(GetCostAndUsageRequest request, CancellationToken cancellationToken);

    /// <summary>The expected cost from today to the end of the period, with its prediction interval.</summary>
    Task<GetCostForecastResponse> GetCostForecastAsync(GetCostForecastRequest request, CancellationToken cancellationToken);
}
