using Bot.Testing;
using Bot.Integrations.Slack.BlockKit;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Cloud;

/// <summary>One sandbox for the read-only tests of a class (none of them sets faults).</summary>
public sealed class SharedSandboxCloud : IAsyncLifetime
{
    public SandboxCloud Cloud { get; private set; } = null!;

    public async Task InitializeAsync() => Cloud = await SandboxCloud.StartAsync();

    public async Task DisposeAsync() => await Cloud.DisposeAsync();
}

/// <summary>Each read-only command answering from the sandbox account over signed HTTP on loopback.</summary>
public sealed class SandboxCommandTests(SharedSandboxCloud shared) : IClassFixture<SharedSandboxCloud>
{
    private readonly SandboxCloud _cloud = shared.Cloud;

    [Fact]
    public async Task Health_answers_in_channel_with_a_summary_line_and_a_section_per_area()
    {
        var reply = await _cloud.RunAsync("health");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.False(answer.Ephemeral);
        Assert.Matches(@"^(✅|⚠️|❌) SecureBase prod health: ", answer.Text);
        // Slack reads "&" as the start of an entity, so the area names are escaped as Slack documents.
        foreach (var area in new[] { "DynamoDB tables", "Lambda functions", "Error logs", "Alarms", "Lambda errors &amp; throttles", "DynamoDB throttling", "API Gateway 5xx" })
            Assert.Contains(area, answer.Text);
        Assert.Contains("all 4 tables ACTIVE", answer.Text);
        Assert.Contains("all 3 functions Active", answer.Text);
        // The sandbox starts with an open incident: elevated 5xx on securebase-prod-api and its alarm in ALARM.
        Assert.Contains(answer.Blocks.OfType<SectionBlock>(), b => b.Text!.Text.Contains("securebase-prod-api-5xx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_of_staging_uses_the_staging_names()
    {
        var reply = await _cloud.RunAsync("health staging");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.StartsWith("✅ SecureBase staging health", answer.Text.Replace("⚠️", "✅").Replace("❌", "✅"));
        Assert.Contains(answer.Blocks.OfType<SectionBlock>(), b => b.Text!.Text.Contains("securebase-staging-user-sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_show_the_newest_matching_lines_in_a_code_block_with_a_count_of_the_rest()
    {
        var reply = await _cloud.RunAsync("logs securebase-prod-user-management --filter ERROR --since 1d");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.False(answer.Ephemeral);
        var code = answer.Blocks.OfType<SectionBlock>().Single(b => b.Text!.Text.StartsWith("```", StringComparison.Ordinal)).Text!.Text;
        var lines = code.Trim('`').Trim().Split('\n');
        Assert.InRange(lines.Length, 1, 20);
        Assert.All(lines, l => Assert.Contains("ERROR", l, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("@", code.Replace("[REDACTED-EMAIL]", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"AKIA[A-Z0-9]{16}", code);
        Assert.Contains("matching lines in `securebase-prod-user-management`", answer.Text);
    }

    [Fact]
    public async Task Alarms_list_the_firing_ones_first()
    {
        var reply = await _cloud.RunAsync("alarms prod");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.StartsWith("🔴 prod: ", answer.Text);
        Assert.Contains("`securebase-prod-api-5xx`", answer.Text);
        Assert.DoesNotContain("securebase-staging", answer.Text);
    }

    [Fact]
    public async Task Alarms_and_health_show_the_composite_alarms_with_the_child_that_fired_them_by_name()
    {
        var alarms = Assert.Single((await _cloud.RunAsync("alarms prod")).Responses).AsSlack();
        var health = Assert.Single((await _cloud.RunAsync("health")).Responses).AsSlack();

        // The sandbox's prod has two composite alarms: the API's (over its 5xx alarm, in ALARM) and the functions' (OK).
        Assert.StartsWith("🔴 prod: 2 alarms in ALARM (12 OK, 0 with insufficient data)", alarms.Text);
        Assert.Matches(@"🔴 `securebase-prod-api-health` \(composite\) since [^:]+:\d\d UTC \([^)]+\): securebase-prod-api-5xx transitioned to ALARM at ", alarms.Text);
        Assert.DoesNotContain("arn:aws:cloudwatch", alarms.Text);
        Assert.Contains(health.Blocks.OfType<SectionBlock>(), b => b.Text!.Text.Contains("*Alarms*: 2 alarms in ALARM", StringComparison.Ordinal)
            && b.Text.Text.Contains("`securebase-prod-api-health` (composite) since", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cost_for_30_days_gives_totals_top_services_and_a_chart_in_the_thread()
    {
        var reply = await _cloud.RunAsync("cost --period 30d");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.False(answer.Ephemeral);
        Assert.Contains("AWS cost, last 30 days", answer.Text);
        Assert.Matches(@"\$[0-9,]+\.[0-9]{2}", answer.Text);
        Assert.Matches("(▲|▼|unchanged|no spend)", answer.Text);
        var anchor = Assert.Single(reply.Posts);
        var (file, threadTs) = Assert.Single(reply.Uploads);
        Assert.Equal(anchor.Ts, threadTs);
        Assert.EndsWith(".png", file.FileName);
        Assert.Equal(0x89, file.Content[0]);
    }

    [Fact]
    public async Task Cost_can_be_narrowed_to_one_service_and_grouped_by_usage_type()
    {
        var reply = await _cloud.RunAsync("cost --period mtd --service \"AWS Lambda\" --by usage-type");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.Contains("AWS cost for `AWS Lambda`, month to date", answer.Text);
        Assert.Contains("usage type", answer.Text);
    }

    [Fact]
    public async Task Metrics_of_a_function_give_a_table_and_a_chart()
    {
        var reply = await _cloud.RunAsync("metrics user-management --since 3h");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.Contains("securebase-prod-user-management (prod), last 3h", answer.Text);
        Assert.Contains("Invocations (count)", answer.Text);
        Assert.Single(reply.Uploads);
    }

    [Fact]
    public async Task Metrics_of_a_table_by_its_short_name()
    {
        var reply = await _cloud.RunAsync("metrics user-sessions --env staging");

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.Contains("securebase-staging-user-sessions (staging)", answer.Text);
        Assert.Contains("ConsumedReadCapacityUnits", answer.Text);
    }

    [Theory]
    [InlineData("logs nope-function", "I don't know a function `nope-function` in prod")]
    [InlineData("metrics nope", "I don't know a function or table `nope` in prod")]
    [InlineData("logs user-management --since 3hours", "is not a duration I understand")]
    [InlineData("logs user-management --since 1y", "`15m`, `1h`, `2d` or `1w`")]
    [InlineData("health qa", "There is no environment `qa`")]
    [InlineData("alarms production", "There is no environment `production`")]
    [InlineData("cost --period 2y", "`7d`, `30d`")]
    [InlineData("cost --by region", "`--by` takes `service`, `usage-type` or `environment`")]
    [InlineData("logs", "Which function?")]
    public async Task Bad_input_gets_an_ephemeral_answer_saying_what_to_try(string text, string expected)
    {
        var reply = await _cloud.RunAsync(text);

        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.True(answer.Ephemeral);
        Assert.Contains(expected, answer.Text);
        Assert.DoesNotContain("Exception", answer.Text);
        Assert.DoesNotContain("   at ", answer.Text);
    }
}
