using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Bot.Sandbox.Tests;

/// <summary>
/// CloudWatch dashboards in both of the sandbox's CloudWatch protocols: the operations guide's two dashboards, their
/// metric widgets, GetMetricWidgetImage's PNG (base64 in MetricWidgetImage) drawn from the sandbox's metrics, and the
/// dashboard that is not there.
/// </summary>
public sealed class DashboardSandboxTests : IAsyncLifetime
{
    private static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public async Task ListDashboards_has_prod_and_dev_but_no_staging()
    {
        var answer = await _sandbox.CloudWatchAsync("ListDashboards", new { });
        var xml = await _sandbox.QueryAsync("Action=ListDashboards&Version=2010-08-01&DashboardNamePrefix=SecureBase-Phase4-P");

        AwsShapes.AssertMatches("cloudwatch-dashboards", "ListDashboardsOutput", answer.Body);
        Assert.Equal(["SecureBase-Phase4-Dev", "SecureBase-Phase4-Prod"],
            answer.Body.GetProperty("DashboardEntries").EnumerateArray().Select(d => d.GetProperty("DashboardName").GetString()!).Order().ToArray());
        var result = xml.Xml.Root!.Element(Ns + "ListDashboardsResult")!;
        AwsXmlShapes.AssertMatches("cloudwatch-dashboards", "ListDashboardsOutput", result);
        Assert.Equal("SecureBase-Phase4-Prod", Assert.Single(result.Descendants(Ns + "DashboardName")).Value);
    }

    [Fact]
    public async Task The_prod_dashboard_has_the_guides_key_metrics_as_metric_widgets()
    {
        var answer = await _sandbox.CloudWatchAsync("GetDashboard", new { DashboardName = "SecureBase-Phase4-Prod" });

        AwsShapes.AssertMatches("cloudwatch-dashboards", "GetDashboardOutput", answer.Body);
        var body = JsonDocument.Parse(answer.Body.GetProperty("DashboardBody").GetString()!).RootElement;
        var metrics = body.GetProperty("widgets").EnumerateArray().Where(w => w.GetProperty("type").GetString() == "metric")
            .SelectMany(w => w.GetProperty("properties").GetProperty("metrics").EnumerateArray()).Select(m => m.GetRawText()).ToList();
        Assert.Contains(metrics, m => m.Contains("\"AWS/Lambda\",\"Invocations\""));
        Assert.Contains(metrics, m => m.Contains("\"AWS/Lambda\",\"Errors\""));
        Assert.Contains(metrics, m => m.Contains("ConsumedReadCapacityUnits"));
        Assert.Contains(metrics, m => m.Contains("\"AWS/ApiGateway\",\"Latency\""));
        Assert.Contains(metrics, m => m.Contains("BucketSizeBytes"));
        Assert.Contains(metrics, m => m.StartsWith("[\"...\""));
    }

    [Fact]
    public async Task Every_widget_of_the_dashboard_comes_back_as_a_png_of_its_size()
    {
        var dashboard = await _sandbox.CloudWatchAsync("GetDashboard", new { DashboardName = "SecureBase-Phase4-Prod" });
        var widgets = JsonDocument.Parse(dashboard.Body.GetProperty("DashboardBody").GetString()!).RootElement.GetProperty("widgets")
            .EnumerateArray().Where(w => w.GetProperty("type").GetString() == "metric").ToList();

        foreach (var widget in widgets)
        {
            var properties = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(widget.GetProperty("properties").GetRawText())!;
            var spec = new Dictionary<string, object>(properties.ToDictionary(p => p.Key, p => (object)p.Value)) { ["width"] = 800, ["height"] = 400, ["start"] = "-P2D" };
            var answer = await _sandbox.CloudWatchAsync("GetMetricWidgetImage", new { MetricWidget = JsonSerializer.Serialize(spec) });

            Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
            AwsShapes.AssertMatches("cloudwatch-dashboards", "GetMetricWidgetImageOutput", answer.Body);
            Assert.Equal((800, 400), PngSize(Convert.FromBase64String(answer.Body.GetProperty("MetricWidgetImage").GetString()!)));
        }
    }

    [Fact]
    public async Task GetMetricWidgetImage_answers_base64_in_the_query_protocol_with_default_size()
    {
        var widget = """{"metrics":[["AWS/Lambda","Invocations","FunctionName","securebase-prod-user-management"],["...","securebase-prod-report-engine",{"stat":"Maximum"}]],"title":"Invocations","stat":"Sum","period":300}""";

        var xml = await _sandbox.QueryAsync("Action=GetMetricWidgetImage&Version=2010-08-01&MetricWidget=" + Uri.EscapeDataString(widget));

        Assert.True(xml.Status == HttpStatusCode.OK, xml.Text);
        var image = xml.Xml.Root!.Element(Ns + "GetMetricWidgetImageResult")!.Element(Ns + "MetricWidgetImage")!.Value;
        Assert.Equal((600, 395), PngSize(Convert.FromBase64String(image)));
    }

    [Fact]
    public async Task A_missing_dashboard_is_ResourceNotFound_with_404_and_a_fault_can_take_one_away()
    {
        var staging = await _sandbox.CloudWatchAsync("GetDashboard", new { DashboardName = "SecureBase-Phase4-Staging" });
        _sandbox.Account.Faults.DashboardMissing("SecureBase-Phase4-Prod");
        var prod = await _sandbox.QueryAsync("Action=GetDashboard&Version=2010-08-01&DashboardName=SecureBase-Phase4-Prod");
        var list = await _sandbox.CloudWatchAsync("ListDashboards", new { });

        Assert.Equal(HttpStatusCode.NotFound, staging.Status);
        Assert.Equal("ResourceNotFound;Sender", staging.Header("x-amzn-query-error"));
        Assert.Equal(HttpStatusCode.NotFound, prod.Status);
        Assert.Equal("ResourceNotFound", prod.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.Equal(["SecureBase-Phase4-Dev"], list.Body.GetProperty("DashboardEntries").EnumerateArray().Select(d => d.GetProperty("DashboardName").GetString()!).ToArray());
    }

    [Fact]
    public async Task A_widget_that_is_not_valid_is_InvalidParameterValue()
    {
        var answer = await _sandbox.CloudWatchAsync("GetMetricWidgetImage", new { MetricWidget = "{\"metrics\":[]}" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidParameterValue;Sender", answer.Header("x-amzn-query-error"));
    }
}
