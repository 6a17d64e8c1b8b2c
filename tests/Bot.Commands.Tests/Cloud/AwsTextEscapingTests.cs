using Bot.Testing;
using Bot.Commands.Routing;
using Bot.Commands.Cloud;
using Bot.Testing.Aws;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Commands.Tests.Slack;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Commands.Tests.Cloud;

/// <summary>
/// AWS's text is untrusted too: alarm names and reasons, log lines, cost group names, states and error
/// messages that carry Slack markup reach Slack escaped, in every read command.
/// </summary>
public sealed class AwsTextEscapingTests : IAsyncLifetime
{
    private const string Evil = "<!here> & <https://evil.example|click> <@U0EVIL> ```<!channel>```";
    private static readonly string[] Commands = ["health", "alarms", "logs securebase-prod-user-management", "cost", "metrics user-management"];

    private AwsStubServer _aws = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _aws = await AwsStubServer.StartAsync();
        _services = StubClients.Build(_aws.BaseUri, s =>
        {
            s.AddSingleton(TimeProvider.System);
            s.AddCommandRouting();
            s.AddCloudCommandHandlers();
        }, new Dictionary<string, string?> { ["Aws:MaxRetries"] = "0" });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _aws.DisposeAsync();
    }

    private async Task<RecordingReplyChannel> RunAsync(string text)
    {
        var reply = new RecordingReplyChannel();
        await _services.GetRequiredService<CommandRouter>().DispatchAsync(new CommandRequest
        {
            Command = "/sb", Text = text, User = new Actor("U123", "alice"), ChannelId = "C-OPS",
        }, reply, CancellationToken.None);
        return reply;
    }

    private static StubResponse Json(object body) => StubResponse.Json(System.Text.Json.JsonSerializer.Serialize(body));

    private static StubResponse Answer(StubRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        if (request.Path.StartsWith("/2015-03-31/functions/", StringComparison.Ordinal))
            return Json(new { Configuration = new { FunctionName = "f", State = Evil, LastUpdateStatus = Evil } });
        object Alarm(string name, string state) =>
            new { AlarmName = name, StateValue = state, StateReason = Evil, StateUpdatedTimestamp = now.ToUnixTimeSeconds() - 600 };
        return request.Header("X-Amz-Target")?.Split('.').Last() switch
        {
            "DescribeTable" => Json(new { Table = new { TableName = "t", TableStatus = Evil, ItemCount = 3 } }),
            "FilterLogEvents" => Json(new Dictionary<string, object>
            {
                ["events"] = new[] { new Dictionary<string, object> { ["logStreamName"] = "s", ["timestamp"] = now.ToUnixTimeMilliseconds(), ["message"] = "ERROR " + Evil, ["ingestionTime"] = 1, ["eventId"] = "1" } },
            }),
            "DescribeAlarms" => Json(new
            {
                MetricAlarms = new[] { Alarm("securebase-prod-" + Evil, "ALARM"), Alarm("securebase-prod-x" + Evil, "INSUFFICIENT_DATA") },
                CompositeAlarms = Array.Empty<object>(),
            }),
            "GetMetricData" => Json(new { MetricDataResults = Array.Empty<object>() }),
            "GetCostAndUsage" => Json(new
            {
                ResultsByTime = new[]
                {
                    new
                    {
                        TimePeriod = new { Start = now.AddDays(-2).ToString("yyyy-MM-dd"), End = now.AddDays(-1).ToString("yyyy-MM-dd") },
                        Total = new Dictionary<string, object>(),
                        Groups = new[] { new { Keys = new[] { Evil }, Metrics = new Dictionary<string, object> { ["UnblendedCost"] = new { Amount = "1.5", Unit = "USD" } } } },
                        Estimated = false,
                    },
                },
            }),
            _ => StubResponse.Json("{}"),
        };
    }

    [Fact]
    public async Task AWS_text_carrying_slack_markup_is_escaped_in_every_read_command()
    {
        _aws.Respond = Answer;

        foreach (var command in Commands)
        {
            var reply = await RunAsync(command);

            Assert.NotEmpty(reply.Responses);
            SlackMarkup.AssertEscaped(reply, "<@U123>");
        }
    }

    [Theory]
    [InlineData(400, "ValidationException")]
    [InlineData(400, "AccessDeniedException")]
    [InlineData(404, "ResourceNotFoundException")]
    [InlineData(500, "InternalFailure")]
    [InlineData(400, "<!channel>Exception")]
    public async Task An_AWS_error_message_carrying_slack_markup_is_escaped_in_every_read_command(int status, string code)
    {
        _aws.Respond = _ => new StubResponse(status, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = Evil }),
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1", ["x-amzn-ErrorType"] = code });

        foreach (var command in Commands)
        {
            var reply = await RunAsync(command);

            Assert.NotEmpty(reply.Responses);
            SlackMarkup.AssertEscaped(reply, "<@U123>");
        }
    }
}
