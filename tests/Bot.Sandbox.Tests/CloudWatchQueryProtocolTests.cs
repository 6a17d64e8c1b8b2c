using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Bot.Sandbox.Protocols;
using Bot.Testing;

namespace Bot.Sandbox.Tests;

/// <summary>
/// CloudWatch's query protocol (form-encoded <c>Action=…&amp;Version=2010-08-01</c>, XML answers), which Debian's
/// AWS CLI speaks: the same operations and numbers as the JSON protocol, in the XML real CloudWatch sends.
/// </summary>
public sealed class CloudWatchQueryProtocolTests : IAsyncLifetime
{
    private static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static XElement Result(AwsAnswer answer, string operation)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        Assert.StartsWith("text/xml", answer.Response.Content.Headers.ContentType!.ToString());
        var root = answer.Xml.Root!;
        Assert.Equal(Ns + (operation + "Response"), root.Name);
        Assert.Equal(answer.Header("x-amzn-RequestId"), root.Element(Ns + "ResponseMetadata")!.Element(Ns + "RequestId")!.Value);
        return root.Element(Ns + (operation + "Result"))!;
    }

    [Fact]
    public async Task DescribeAlarms_in_ALARM_answers_the_modeled_XML()
    {
        var answer = await _sandbox.QueryAsync("Action=DescribeAlarms&Version=2010-08-01&StateValue=ALARM");

        var result = Result(answer, "DescribeAlarms");
        AwsXmlShapes.AssertMatches("cloudwatch", "DescribeAlarmsOutput", result);
        var alarm = Assert.Single(result.Element(Ns + "MetricAlarms")!.Elements(Ns + "member"));
        Assert.Equal("securebase-prod-api-5xx", alarm.Element(Ns + "AlarmName")!.Value);
        Assert.Equal("ALARM", alarm.Element(Ns + "StateValue")!.Value);
        Assert.Equal("0.05", alarm.Element(Ns + "Threshold")!.Value);
        Assert.Equal("ApiName", alarm.Element(Ns + "Dimensions")!.Element(Ns + "member")!.Element(Ns + "Name")!.Value);
        Assert.NotNull(result.Element(Ns + "CompositeAlarms"));
    }

    [Fact]
    public async Task GetMetricStatistics_gives_the_same_datapoints_as_the_JSON_protocol()
    {
        var (start, end) = (_sandbox.Time.GetUtcNow().AddHours(-1), _sandbox.Time.GetUtcNow());
        var json = await _sandbox.CloudWatchAsync("GetMetricStatistics", new
        {
            Namespace = "AWS/Lambda", MetricName = "Invocations", Period = 300, Statistics = new[] { "Sum", "Maximum" },
            Dimensions = new[] { new { Name = "FunctionName", Value = "securebase-prod-user-management" } },
            StartTime = start.ToUnixTimeSeconds(), EndTime = end.ToUnixTimeSeconds(),
        });

        var xml = await _sandbox.QueryAsync("Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FLambda&MetricName=Invocations" +
            "&Dimensions.member.1.Name=FunctionName&Dimensions.member.1.Value=securebase-prod-user-management" +
            $"&StartTime={Iso(start)}&EndTime={Iso(end)}&Period=300&Statistics.member.1=Sum&Statistics.member.2=Maximum");

        var result = Result(xml, "GetMetricStatistics");
        AwsXmlShapes.AssertMatches("cloudwatch", "GetMetricStatisticsOutput", result);
        var fromXml = result.Element(Ns + "Datapoints")!.Elements(Ns + "member").Select(d => (
            DateTimeOffset.Parse(d.Element(Ns + "Timestamp")!.Value, CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            double.Parse(d.Element(Ns + "Sum")!.Value, CultureInfo.InvariantCulture),
            double.Parse(d.Element(Ns + "Maximum")!.Value, CultureInfo.InvariantCulture))).ToList();
        var fromJson = json.Body.GetProperty("Datapoints").EnumerateArray().Select(d => (
            (long)d.GetProperty("Timestamp").GetDouble(), d.GetProperty("Sum").GetDouble(), d.GetProperty("Maximum").GetDouble())).ToList();
        Assert.InRange(fromXml.Count, 12, 13); // five-minute buckets over an hour not aligned to five minutes
        Assert.Equal(fromJson, fromXml);
        Assert.Matches(@"^\d+\.0$", result.Descendants(Ns + "Sum").First().Value);
    }

    [Fact]
    public async Task GetMetricData_reads_nested_queries_and_answers_timestamps_and_values_as_member_lists()
    {
        var (start, end) = (_sandbox.Time.GetUtcNow().AddHours(-1), _sandbox.Time.GetUtcNow());
        const string q = "MetricDataQueries.member.1.";
        var xml = await _sandbox.QueryAsync("Action=GetMetricData&Version=2010-08-01" +
            $"&{q}Id=errors&{q}MetricStat.Metric.Namespace=AWS%2FLambda&{q}MetricStat.Metric.MetricName=Errors" +
            $"&{q}MetricStat.Metric.Dimensions.member.1.Name=FunctionName&{q}MetricStat.Metric.Dimensions.member.1.Value=securebase-prod-user-management" +
            $"&{q}MetricStat.Period=600&{q}MetricStat.Stat=Sum&{q}ReturnData=true" +
            $"&MetricDataQueries.member.2.Id=hidden&MetricDataQueries.member.2.Expression=errors%2A2&MetricDataQueries.member.2.ReturnData=false" +
            $"&StartTime={Iso(start)}&EndTime={Iso(end)}&MaxDatapoints=100");

        var result = Result(xml, "GetMetricData");
        AwsXmlShapes.AssertMatches("cloudwatch", "GetMetricDataOutput", result);
        var only = Assert.Single(result.Element(Ns + "MetricDataResults")!.Elements(Ns + "member"));
        Assert.Equal("errors", only.Element(Ns + "Id")!.Value);
        var timestamps = only.Element(Ns + "Timestamps")!.Elements(Ns + "member").Count();
        Assert.InRange(timestamps, 6, 7); // ten-minute buckets over an hour not aligned to ten minutes
        Assert.Equal(timestamps, only.Element(Ns + "Values")!.Elements(Ns + "member").Count());
        Assert.Equal("Complete", only.Element(Ns + "StatusCode")!.Value);
    }

    [Fact]
    public async Task DescribeAlarmHistory_answers_in_XML_too()
    {
        var xml = await _sandbox.QueryAsync("Action=DescribeAlarmHistory&Version=2010-08-01&AlarmName=securebase-prod-api-5xx&MaxRecords=5");

        var item = Result(xml, "DescribeAlarmHistory").Element(Ns + "AlarmHistoryItems")!.Elements(Ns + "member").First();
        Assert.Equal("Alarm updated from OK to ALARM", item.Element(Ns + "HistorySummary")!.Value);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$", item.Element(Ns + "Timestamp")!.Value);
    }

    [Theory]
    [InlineData("Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FLambda&MetricName=Errors&Period=300", 400, "MissingParameter", "Sender")]
    [InlineData("Action=DescribeAlarms&Version=2010-08-01&StateValue=ON_FIRE", 400, "InvalidParameterValue", "Sender")]
    [InlineData("Action=PutMetricAlarm&Version=2010-08-01", 400, "InvalidAction", "Sender")]
    [InlineData("Action=DescribeAlarms&Version=2011-01-01", 400, "InvalidAction", "Sender")]
    public async Task Errors_come_back_as_an_XML_ErrorResponse_with_the_query_error_code(string form, int status, string code, string type)
    {
        var answer = await _sandbox.QueryAsync(form);

        Assert.Equal(status, (int)answer.Status);
        var error = answer.Xml.Root!;
        Assert.Equal(Ns + "ErrorResponse", error.Name);
        Assert.Equal(code, error.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.Equal(type, error.Element(Ns + "Error")!.Element(Ns + "Type")!.Value);
        Assert.Equal(answer.Header("x-amzn-RequestId"), error.Element(Ns + "RequestId")!.Value);
    }

    [Fact]
    public async Task A_denied_key_gets_403_AccessDenied_in_XML()
    {
        _sandbox.AccessKeyId = _sandbox.Account.Options.DeniedAccessKeyId;

        var answer = await _sandbox.QueryAsync("Action=DescribeAlarms&Version=2010-08-01");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("AccessDenied", answer.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
    }

    /// <summary>The member types the query protocol cannot see in text, derived from the CloudWatch model in the fixtures.</summary>
    [Fact]
    public void The_query_type_tables_agree_with_the_CloudWatch_model()
    {
        // The vendored model's operations and the dashboard operations (this project's own extract).
        var found = new Dictionary<string, Dictionary<string, HashSet<string>>>();
        foreach (var text in new[] { Fixtures.ReadText("aws/shapes/cloudwatch.shapes.json"), AwsShapes.ShapeText("cloudwatch-dashboards") })
        {
            using var doc = JsonDocument.Parse(text);
            var shapes = doc.RootElement.GetProperty("shapes");
            var operations = doc.RootElement.GetProperty("operations").EnumerateArray().Select(o => o.GetString()!).ToList();
            foreach (var suffix in new[] { "Input", "Output" })
            {
                if (!found.TryGetValue(suffix, out var bySuffix)) found[suffix] = bySuffix = [];
                var seen = new HashSet<string>();
                void Walk(string shape, string? member)
                {
                    var s = shapes.GetProperty(shape);
                    var type = s.GetProperty("type").GetString()!;
                    switch (type)
                    {
                        case "structure" when seen.Add(shape):
                            foreach (var m in s.GetProperty("members").EnumerateObject()) Walk(m.Value.GetProperty("shape").GetString()!, m.Name);
                            break;
                        case "structure":
                            break;
                        case "list":
                            Walk(s.GetProperty("member").GetProperty("shape").GetString()!, member);
                            break;
                        case "map":
                            Add("map", member!);
                            Walk(s.GetProperty("value").GetProperty("shape").GetString()!, member);
                            break;
                        default:
                            Add(type, member!);
                            break;
                    }
                }
                void Add(string type, string member)
                {
                    if (!bySuffix.TryGetValue(type, out var set)) bySuffix[type] = set = [];
                    set.Add(member);
                }
                foreach (var op in operations) Walk(op + suffix, null);
            }
        }
        Dictionary<string, HashSet<string>> MembersByType(string suffix) => found[suffix];

        var input = MembersByType("Input");
        var output = MembersByType("Output");
        var cloudWatch = QueryShapes.CloudWatch;
        Assert.Equal(input["integer"].Order(), cloudWatch.IntegerInputs.Order());
        Assert.Equal(input["boolean"].Order(), cloudWatch.BooleanInputs.Order());
        Assert.Equal(output["timestamp"].Order(), cloudWatch.TimestampOutputs.Order());
        Assert.Equal(output["double"].Order(), cloudWatch.DoubleOutputs.Order());
        Assert.Equal(output["map"].Order(), cloudWatch.MapOutputs.Order());
    }
}
