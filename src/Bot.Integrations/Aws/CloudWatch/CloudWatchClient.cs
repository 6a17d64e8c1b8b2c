using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.CloudWatch;

public sealed class CloudWatchClient(HttpClient http) : ICloudWatchClient
{
    private const int MaxPages = 20;
    private readonly AwsJsonRpc _rpc = new(http, AwsService.CloudWatch, "1.0", "GraniteServiceVersion20100801", AwsJson.Pascal, queryCompatible: true);

    public async Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, MetricDataResult>(StringComparer.Ordinal);
        var order = new List<string>();
        var next = request;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await _rpc.CallAsync<GetMetricDataRequest, GetMetricDataResponse>("GetMetricData", next, cancellationToken);
            foreach (var result in response.MetricDataResults)
            {
                var id = result.Id ?? "";
                if (merged.TryGetValue(id, out var existing))
                {
                    merged[id] = existing with
                    {
                        Timestamps = [.. existing.Timestamps, .. result.Timestamps],
                        Values = [.. existing.Values, .. result.Values],
                        StatusCode = result.StatusCode ?? existing.StatusCode,
                    };
                }
                else
                {
                    merged[id] = result;
                    order.Add(id);
                }
            }
            if (string.IsNullOrEmpty(response.NextToken)) break;
            next = request with { NextToken = response.NextToken };
        }
        return order.Select(id => merged[id]).ToList();
    }

    public async Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken)
    {
        var metric = new List<MetricAlarm>();
        var composite = new List<CompositeAlarm>();
        // Without AlarmTypes AWS lists metric alarms only: both kinds, unless the caller chose.
        request = request.AlarmTypes is null ? request with { AlarmTypes = [AlarmTypes.Composite, AlarmTypes.Metric] } : request;
        var next = request;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await _rpc.CallAsync<DescribeAlarmsRequest, DescribeAlarmsResponse>("DescribeAlarms", next, cancellationToken);
            metric.AddRange(response.MetricAlarms);
            composite.AddRange(response.CompositeAlarms);
            if (string.IsNullOrEmpty(response.NextToken)) break;
            next = request with { NextToken = response.NextToken };
        }
        return new DescribeAlarmsResponse { MetricAlarms = metric, CompositeAlarms = composite };
    }

    public Task<GetDashboardResponse> GetDashboardAsync(string dashboardName, CancellationToken cancellationToken) =>
        _rpc.CallAsync<GetDashboardRequest, GetDashboardResponse>("GetDashboard", new GetDashboardRequest(dashboardName), cancellationToken);

    public async Task<byte[]> GetMetricWidgetImageAsync(string metricWidget, CancellationToken cancellationToken)
    {
        var response = await _rpc.CallAsync<GetMetricWidgetImageRequest, GetMetricWidgetImageResponse>("GetMetricWidgetImage", new GetMetricWidgetImageRequest(metricWidget), cancellationToken);
        return string.IsNullOrEmpty(response.MetricWidgetImage)
            ? throw new AwsServiceException(AwsService.CloudWatch.Name, "MalformedResponse", "GetMetricWidgetImage returned no image", System.Net.HttpStatusCode.OK, null)
            : Convert.FromBase64String(response.MetricWidgetImage);
    }
}
