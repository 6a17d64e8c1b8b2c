using Bot.Testing.Aws;
using Bot.Testing;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Integrations.Aws.Logs;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Integrations.Tests.Aws;

/// <summary>CloudWatch, Logs, Cost Explorer and DynamoDB against a loopback endpoint with recorded answers.</summary>
public sealed class JsonProtocolClientTests : IAsyncLifetime
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
    public async Task DescribeAlarms_speaks_query_compatible_JSON_1_0_and_reads_the_CLI_example()
    {
        _server.Respond = _ => new StubResponse(200,
            FixtureResponses.CliOutputAsWire("aws/cloudwatch/DescribeAlarms.aws-cli-example.json", 0, "StateUpdatedTimestamp", "AlarmConfigurationUpdatedTimestamp"),
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.0" });

        var response = await _services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNames = ["myalarm"] }, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("GraniteServiceVersion20100801.DescribeAlarms", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.0", request.Header("Content-Type"));
        Assert.Equal("true", request.Header("x-amzn-query-mode"));
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "monitoring"));
        Assert.Equal("myalarm", FixtureResponses.Json(request.BodyText).GetProperty("AlarmNames")[0].GetString());

        var alarm = Assert.Single(response.MetricAlarms);
        Assert.Equal("myalarm", alarm.AlarmName);
        Assert.Equal(new DateTimeOffset(2014, 4, 9, 18, 59, 6, 442, TimeSpan.Zero), alarm.StateUpdatedTimestamp);
    }

    [Fact]
    public async Task DescribeAlarms_asks_for_composite_and_metric_alarms_on_every_page_and_reads_both()
    {
        _server.Respond = r => StubResponse.Json(r.BodyText.Contains("page2", StringComparison.Ordinal)
            ? """{"CompositeAlarms":[{"AlarmName":"api-health","AlarmRule":"ALARM(\"api-5xx\")","StateValue":"ALARM","StateUpdatedTimestamp":1.7e9,"StateReason":"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:api-5xx transitioned to ALARM at Tuesday 14 November, 2023 22:13:20 UTC"}],"MetricAlarms":[]}"""
            : """{"CompositeAlarms":[],"MetricAlarms":[{"AlarmName":"api-5xx","StateValue":"ALARM","StateUpdatedTimestamp":1.7e9}],"NextToken":"page2"}""");

        var response = await _services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNamePrefix = "api-" }, default);

        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal(["CompositeAlarm", "MetricAlarm"],
            FixtureResponses.Json(r.BodyText).GetProperty("AlarmTypes").EnumerateArray().Select(t => t.GetString())));
        Assert.Equal("api-5xx", Assert.Single(response.MetricAlarms).AlarmName);
        var composite = Assert.Single(response.CompositeAlarms);
        Assert.Equal(("api-health", "ALARM(\"api-5xx\")"), (composite.AlarmName, composite.AlarmRule));
        Assert.Equal("api-5xx transitioned to ALARM at Tuesday 14 November, 2023 22:13:20 UTC", composite.StateReasonByName);
    }

    [Fact]
    public async Task DescribeAlarms_keeps_the_alarm_types_a_caller_chose()
    {
        _server.Respond = _ => StubResponse.Json("""{"MetricAlarms":[]}""");

        await _services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmTypes = ["MetricAlarm"] }, default);

        Assert.Equal(["MetricAlarm"], FixtureResponses.Json(Assert.Single(_server.Requests).BodyText).GetProperty("AlarmTypes").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task An_AWS_answer_with_another_2xx_than_200_is_read_as_the_answer()
    {
        _server.Respond = _ => StubResponse.Json("""{"MetricAlarms":[{"AlarmName":"a","StateValue":"OK","StateUpdatedTimestamp":1.7e9}]}""", 202);

        var response = await _services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest(), default);

        Assert.Equal("a", Assert.Single(response.MetricAlarms).AlarmName);
    }

    [Fact]
    public async Task GetMetricData_sends_epoch_seconds_and_merges_pages_per_query()
    {
        var example = FixtureResponses.CliExample("aws/cloudwatch/GetMetricData.aws-cli-example.json");
        var firstPage = FixtureResponses.CliOutputAsWire("aws/cloudwatch/GetMetricData.aws-cli-example.json", 0, "Timestamps");
        var node = System.Text.Json.Nodes.JsonNode.Parse(firstPage)!;
        node["NextToken"] = "page2";
        _server.Respond = r => r.BodyText.Contains("page2", StringComparison.Ordinal)
            ? StubResponse.Json("""{"MetricDataResults":[{"Id":"m3","Label":"Avg Total IOPS","Timestamps":[1727647800],"Values":[9.5],"StatusCode":"Complete"}]}""")
            : StubResponse.Json(node.ToJsonString());

        var start = new DateTimeOffset(2024, 9, 29, 22, 10, 0, TimeSpan.Zero);
        var results = await _services.GetRequiredService<ICloudWatchClient>().GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = start,
            EndTime = start.AddMinutes(5),
            MetricDataQueries = [new MetricDataQuery { Id = "m3", Expression = "(m1+m2)/300", Label = "Avg Total IOPS" }],
        }, default);

        var sent = FixtureResponses.Json(_server.Requests[0].BodyText);
        Assert.Equal(start.ToUnixTimeSeconds(), sent.GetProperty("StartTime").GetDouble());
        Assert.Equal(2, _server.Requests.Count);
        var m3 = Assert.Single(results, r => r.Id == "m3");
        var expectedFirstPage = example["output"]!["MetricDataResults"]![0]!["Values"]!.AsArray().Count;
        Assert.Equal(expectedFirstPage + 1, m3.Values.Count);
        Assert.Equal(m3.Values.Count, m3.Timestamps.Count);
        Assert.Equal(9.5, m3.Values[^1]);
    }

    [Fact]
    public async Task A_query_error_header_overrides_the_code_in_the_body()
    {
        _server.Respond = _ => new StubResponse(400, """{"__type":"com.amazonaws.monitoring#InvalidNextToken","message":"bad token"}""",
            new Dictionary<string, string> { ["x-amzn-query-error"] = "InvalidNextToken;Sender", ["Content-Type"] = "application/x-amz-json-1.0" });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            _services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest(), default));

        Assert.Equal("InvalidNextToken", error.Code);
        Assert.Equal("CloudWatch", error.Service);
        Assert.Equal("bad token", error.AwsMessage);
    }

    [Fact]
    public async Task FilterLogEvents_speaks_JSON_1_1_in_camelCase_and_follows_nextToken()
    {
        _server.Respond = r => FixtureResponses.Json(r.BodyText).TryGetProperty("nextToken", out _)
            ? StubResponse.Json("""{"events":[{"logStreamName":"s","timestamp":1700000002000,"message":"ERROR two","ingestionTime":1700000002500,"eventId":"2"}],"searchedLogStreams":[]}""")
            : StubResponse.Json("""{"events":[{"logStreamName":"s","timestamp":1700000001000,"message":"ERROR one","ingestionTime":1700000001500,"eventId":"1"}],"nextToken":"t2"}""");

        var found = await _services.GetRequiredService<ICloudWatchLogsClient>().FilterAllLogEventsAsync(new FilterLogEventsRequest
        {
            LogGroupName = "/aws/lambda/f",
            StartTime = 1700000000000,
            FilterPattern = "ERROR",
        }, 100, default);

        Assert.Equal(["ERROR one", "ERROR two"], found.Events.Select(e => e.Message));
        Assert.False(found.Truncated);
        var first = _server.Requests[0];
        Assert.Equal("Logs_20140328.FilterLogEvents", first.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", first.Header("Content-Type"));
        Assert.Null(first.Header("x-amzn-query-mode"));
        var body = FixtureResponses.Json(first.BodyText);
        Assert.Equal("/aws/lambda/f", body.GetProperty("logGroupName").GetString());
        Assert.Equal(1700000000000, body.GetProperty("startTime").GetInt64());
        Assert.Equal("t2", FixtureResponses.Json(_server.Requests[1].BodyText).GetProperty("nextToken").GetString());
        Assert.True(AwsStubServer.SignatureIsValid(first, StubClients.Secret, StubClients.Region, "logs"));
    }

    [Fact]
    public async Task Log_search_stops_at_the_cap_and_says_it_was_truncated()
    {
        _server.Respond = _ => StubResponse.Json("""{"events":[{"timestamp":1,"message":"a"},{"timestamp":2,"message":"b"}],"nextToken":"more"}""");

        var found = await _services.GetRequiredService<ICloudWatchLogsClient>().FilterAllLogEventsAsync(new FilterLogEventsRequest { LogGroupName = "g" }, 3, default);

        Assert.True(found.Truncated);
        Assert.Equal(4, found.Events.Count);
    }

    [Fact]
    public async Task StartQuery_and_GetQueryResults_round_trip()
    {
        _server.Respond = r => r.Header("X-Amz-Target") == "Logs_20140328.StartQuery"
            ? StubResponse.Json("""{"queryId":"q-1"}""")
            : StubResponse.Json("""{"results":[[{"field":"@message","value":"ERROR x"},{"field":"@timestamp","value":"2026-11-22 10:00:00.000"}]],"statistics":{"recordsMatched":1.0,"recordsScanned":10.0,"bytesScanned":100.0},"status":"Complete"}""");
        var logs = _services.GetRequiredService<ICloudWatchLogsClient>();

        var id = await logs.StartQueryAsync(new StartQueryRequest { LogGroupNames = ["g"], StartTime = 1, EndTime = 2, QueryString = "fields @message" }, default);
        var results = await logs.GetQueryResultsAsync(id, default);

        Assert.Equal("q-1", id);
        Assert.Equal("Complete", results.Status);
        Assert.Equal("ERROR x", results.Results[0][0].Value);
        Assert.Equal(1, results.Statistics!.RecordsMatched);
        Assert.Equal("q-1", FixtureResponses.Json(_server.Requests[1].BodyText).GetProperty("queryId").GetString());
    }

    [Fact]
    public async Task Cost_Explorer_is_signed_for_us_east_1_and_reads_the_CLI_example()
    {
        var example = FixtureResponses.CliExample("aws/ce/GetCostAndUsage.aws-cli-example.json");
        _server.Respond = _ => StubResponse.Json(example["output"]!.ToJsonString());

        var response = await _services.GetRequiredService<ICostExplorerClient>().GetCostAndUsageAsync(new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval("2017-09-01", "2017-10-01"),
            Granularity = "MONTHLY",
            Metrics = ["BlendedCost", "UnblendedCost", "UsageQuantity"],
            GroupBy = [new GroupDefinition("DIMENSION", "SERVICE"), new GroupDefinition("TAG", "Environment")],
            Filter = new CostFilter { Dimensions = new DimensionValues { Key = "SERVICE", Values = ["Amazon Simple Storage Service"] } },
        }, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("AWSInsightsIndexService.GetCostAndUsage", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        Assert.Contains("/us-east-1/ce/aws4_request", request.Header("Authorization"));
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, "us-east-1", "ce"));
        var body = FixtureResponses.Json(request.BodyText);
        Assert.Equal("Amazon Simple Storage Service", body.GetProperty("Filter").GetProperty("Dimensions").GetProperty("Values")[0].GetString());
        Assert.Equal(example["output"]!["ResultsByTime"]!.AsArray().Count, response.ResultsByTime.Count);
        var firstGroup = response.ResultsByTime[0].Groups[0];
        Assert.Equal(example["output"]!["ResultsByTime"]![0]!["Groups"]![0]!["Metrics"]!["UnblendedCost"]!["Amount"]!.GetValue<string>(), firstGroup.Metrics["UnblendedCost"].Amount);
        Assert.True(firstGroup.Metrics["UnblendedCost"].Value >= 0);
    }

    [Fact]
    public async Task DynamoDB_DescribeTable_goes_through_the_SDK_whose_signature_our_signer_agrees_with()
    {
        _server.Respond = _ => new StubResponse(200, FixtureResponses.BotocoreOutput("aws/dynamodb/DescribeTable.botocore-example.json"),
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.0" });

        var table = await _services.GetRequiredService<IDynamoDbTables>().DescribeTableAsync("Music", default);

        Assert.Equal("Music", table.Name);
        Assert.Equal("ACTIVE", table.Status);
        Assert.Equal(0, table.ItemCount);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("DynamoDB_20120810.DescribeTable", request.Header("X-Amz-Target"));
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "dynamodb"));
    }

    [Fact]
    public async Task DynamoDB_errors_become_the_same_typed_errors()
    {
        _server.Respond = _ => new StubResponse(400, """{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: Table: nope not found"}""",
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.0" });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _services.GetRequiredService<IDynamoDbTables>().DescribeTableAsync("nope", default));

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Equal(AwsErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_session_token_is_sent_and_signed()
    {
        await using var services = StubClients.Build(_server.BaseUri, sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN");
        _server.Respond = _ => StubResponse.Json("""{"MetricAlarms":[],"CompositeAlarms":[]}""");

        await services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest(), default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("FQoGZXIvYXdzEXAMPLETOKEN", request.Header("x-amz-security-token"));
        Assert.Contains("x-amz-security-token", request.Header("Authorization"));
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "monitoring"));
    }

    [Fact]
    public async Task A_call_that_never_answers_ends_in_a_timeout_error_after_its_retries()
    {
        await using var services = StubClients.Build(_server.BaseUri, settings: new()
        {
            ["Aws:AttemptTimeout"] = "00:00:00.300",
            ["Aws:TotalTimeout"] = "00:00:01",
            ["Aws:MaxRetries"] = "1",
        });
        _server.Delay = TimeSpan.FromSeconds(30);

        var error = await Assert.ThrowsAsync<AwsTimeoutException>(() =>
            services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest(), default));

        Assert.Equal("CloudWatch", error.Service);
        Assert.Equal("DescribeAlarms", error.Operation);
        Assert.Equal(2, _server.Requests.Count);
    }
}
