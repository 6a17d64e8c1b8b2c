using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Integrations.Aws.Logs;
using Bot.Testing;
using Bot.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Integrations.Tests.Aws;

/// <summary>The calls the reviews and the dashboard add: GetDashboard, GetMetricWidgetImage, DescribeLogGroups, GetCostForecast, on the wire.</summary>
public sealed class ReviewClientTests : IAsyncLifetime
{
    private AwsStubServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await AwsStubServer.StartAsync();
        _services = StubClients.Build(_server.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetDashboard_names_the_dashboard_and_reads_its_body()
    {
        _server.Respond = _ => StubResponse.Json("""{"DashboardArn":"arn:aws:cloudwatch::123456789012:dashboard/SecureBase-Phase4-Prod","DashboardBody":"{\"widgets\":[]}","DashboardName":"SecureBase-Phase4-Prod"}""");

        var dashboard = await _services.GetRequiredService<ICloudWatchClient>().GetDashboardAsync("SecureBase-Phase4-Prod", default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("GraniteServiceVersion20100801.GetDashboard", request.Header("X-Amz-Target"));
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "monitoring"));
        Assert.Equal("SecureBase-Phase4-Prod", FixtureResponses.Json(request.BodyText).GetProperty("DashboardName").GetString());
        Assert.Equal("{\"widgets\":[]}", dashboard.DashboardBody);
    }

    [Fact]
    public async Task GetMetricWidgetImage_sends_the_widget_json_and_decodes_the_png()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        _server.Respond = _ => StubResponse.Json($$"""{"MetricWidgetImage":"{{Convert.ToBase64String(png)}}"}""");

        var image = await _services.GetRequiredService<ICloudWatchClient>().GetMetricWidgetImageAsync("""{"metrics":[["AWS/Lambda","Errors"]]}""", default);

        var body = FixtureResponses.Json(Assert.Single(_server.Requests).BodyText);
        Assert.Equal("""{"metrics":[["AWS/Lambda","Errors"]]}""", body.GetProperty("MetricWidget").GetString());
        Assert.Equal("png", body.GetProperty("OutputFormat").GetString());
        Assert.Equal(png, image);
    }

    [Fact]
    public async Task DescribeLogGroups_follows_next_token_and_reads_a_group_without_retention()
    {
        _server.Respond = r => StubResponse.Json(r.BodyText.Contains("page2", StringComparison.Ordinal)
            ? """{"logGroups":[{"logGroupName":"/aws/lambda/securebase-prod-session-management","storedBytes":4300000000}]}"""
            : """{"logGroups":[{"logGroupName":"/aws/lambda/securebase-prod-report-engine","retentionInDays":90,"storedBytes":120}],"nextToken":"page2"}""");

        var groups = await _services.GetRequiredService<ICloudWatchLogsClient>().DescribeLogGroupsAsync("/aws/lambda/securebase-", default);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("Logs_20140328.DescribeLogGroups", _server.Requests[0].Header("X-Amz-Target"));
        Assert.Equal("/aws/lambda/securebase-", FixtureResponses.Json(_server.Requests[0].BodyText).GetProperty("logGroupNamePrefix").GetString());
        Assert.Equal([90, null], groups.Select(g => g.RetentionInDays));
        Assert.Equal(4_300_000_000, groups[1].StoredBytes);
    }

    [Fact]
    public async Task GetCostForecast_is_signed_for_us_east_1_and_reads_the_mean_and_the_interval()
    {
        _server.Respond = _ => StubResponse.Json("""{"Total":{"Amount":"1043.5","Unit":"USD"},"ForecastResultsByTime":[{"TimePeriod":{"Start":"2026-03-02","End":"2026-04-01"},"MeanValue":"1043.5","PredictionIntervalLowerBound":"1001.2","PredictionIntervalUpperBound":"1085.8"}]}""");

        var forecast = await _services.GetRequiredService<ICostExplorerClient>().GetCostForecastAsync(new GetCostForecastRequest
        {
            TimePeriod = new DateInterval("2026-03-02", "2026-04-01"),
            Metric = "UNBLENDED_COST",
            Granularity = "MONTHLY",
            PredictionIntervalLevel = 80,
        }, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("AWSInsightsIndexService.GetCostForecast", request.Header("X-Amz-Target"));
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, "us-east-1", "ce"));
        Assert.Equal(80, FixtureResponses.Json(request.BodyText).GetProperty("PredictionIntervalLevel").GetInt32());
        Assert.Equal(1043.5m, forecast.Total!.Value);
        Assert.Equal("1085.8", Assert.Single(forecast.ForecastResultsByTime).PredictionIntervalUpperBound);
    }
}
