namespace Bot.Integrations.Aws.CloudWatch;

/// <summary>The CloudWatch operations the bot uses (AWS JSON 1.0, query-compatible).</summary>
[AwsClient("cloudwatch")]
public interface ICloudWatchClient
{
    /// <summary>Runs the queries and merges every page (<c>NextToken</c>) into one result per query id.</summary>
    Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// All alarms matching the request (follows <c>NextToken</c>): metric and composite ones unless
    /// <see cref="DescribeAlarmsRequest.AlarmTypes"/> says otherwise.
    /// </summary>
    Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken);

    /// <summary>A dashboard's body (its JSON); <c>ResourceNotFound</c> (404) when there is no such dashboard.</summary>
    Task<GetDashboardResponse> GetDashboardAsync(string dashboardName, CancellationToken cancellationToken);

    /// <summary>One metric widget drawn by CloudWatch itself: the PNG of <paramref name="metricWidget"/> (a widget's properties as JSON, with size and time range).</summary>
    Task<byte[]> GetMetricWidgetImageAsync(string metricWidget, CancellationToken cancellationToken);
}
