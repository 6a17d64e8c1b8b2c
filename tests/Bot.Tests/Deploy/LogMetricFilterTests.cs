using Bot.Testing;
using Bot.Tests;
using System.Text.Json;
using Bot.Hosting;
using Bot.Operations;
using Microsoft.Extensions.Logging;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The stack's log metric filters, run on the lines the built bot wrote while it ran (<see cref="RunningBot"/>): each
/// line publishes exactly the metrics the alarms expect, and every other line publishes nothing.
/// </summary>
[Collection(RunningBotCollection.Name)]
public sealed class LogMetricFilterTests(RunningBot bot)
{
    private static readonly List<(string Pattern, string Metric, string Value)> Filters = Deployed().OfType("AWS::Logs::MetricFilter")
        .Select(f => Properties(f.Value))
        .Select(f => (Transformation: (Dictionary<string, object>)Assert.Single(List(f["MetricTransformations"])), Pattern: (string)f["FilterPattern"], Group: (string)f["LogGroupName"]))
        .Select(f =>
        {
            Assert.Equal(("{LogGroup}", "SecureBase/OpsBot"), (f.Group, (string)f.Transformation["MetricNamespace"]));
            return (f.Pattern, (string)f.Transformation["MetricName"], (string)f.Transformation["MetricValue"]);
        })
        .ToList();

    /// <summary>What the filters publish for one line: metric name = value, in order.</summary>
    private static List<string> Published(string line) => Filters
        .Where(f => CloudWatchFilterPattern.Matches(f.Pattern, line))
        .Select(f => $"{f.Metric}={CloudWatchFilterPattern.Value(f.Value, line)}")
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string Message(string line) => JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString()!;

    [Fact]
    public void The_templates_the_stack_was_written_against_are_the_ones_the_bot_logs()
    {
        Assert.Equal(BotLogLines.OutboxTemplate, OutboxReport.Template);
        Assert.Equal(BotLogLines.ReadinessTemplate, ReadinessLog.Template);
    }

    [Fact]
    public void A_message_the_outbox_gives_up_counts_as_a_dead_letter_at_once()
    {
        var line = Assert.Single(bot.LinesStarting("Giving up on message "));

        Assert.Equal("Giving up on message msg-seed-1 to C0OPS after 1 attempt(s): channel_not_found", Message(line));
        Assert.Equal(["DeadLetters=1"], Published(line));
    }

    [Fact]
    public void A_delivery_the_outbox_retries_or_holds_publishes_nothing()
    {
        var retried = Assert.Single(bot.LinesStarting("Delivery to C0OPS failed"));
        var held = Assert.Single(bot.LinesStarting("Chat rate-limited channel C0OPS"));

        Assert.Empty(Published(retried));
        Assert.Empty(Published(held));
    }

    [Fact]
    public void The_periodic_outbox_line_gives_the_dead_letters_the_backlog_and_the_age_of_the_oldest_message()
    {
        var after = bot.LinesStarting("Outbox backlog ").Last(l => Message(l).StartsWith("Outbox backlog 1, ", StringComparison.Ordinal) && Message(l).EndsWith("dead letters 1", StringComparison.Ordinal));

        var published = Published(after);
        Assert.Equal(["DeadLetters=1", "OutboxBacklog=1"], published.Where(p => !p.StartsWith("OutboxOldestAgeSeconds=", StringComparison.Ordinal)));
        var age = double.Parse(Assert.Single(published, p => p.StartsWith("OutboxOldestAgeSeconds=", StringComparison.Ordinal)).Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(age, RunningBot.Waited.TotalSeconds, RunningBot.Waited.TotalSeconds + 600);
    }

    [Fact]
    public void Only_an_unhealthy_readiness_counts_as_readiness_failing()
    {
        var unhealthy = bot.LinesStarting("Readiness Unhealthy: ")[0];
        var healthy = bot.LinesStarting("Readiness Healthy: ")[0];
        // A store outage makes readiness Degraded (the bot still serves what it can): not a readiness failure. (The
        // running bot's store never fails; the reliability suite sees this line from a real outage.)
        var degraded = BotLogLines.Format(typeof(ReadinessLog).FullName!, LogLevel.Warning, ReadinessLog.Template, "Degraded", "workflow-store");

        Assert.Equal("Readiness Unhealthy: slack-connections", Message(unhealthy));
        Assert.Equal(["ReadinessUnhealthy=1"], Published(unhealthy));
        Assert.Equal("Readiness Healthy: ", Message(healthy));
        Assert.Empty(Published(healthy));
        Assert.Empty(Published(degraded));
    }

    [Fact]
    public void Every_other_line_the_bot_wrote_publishes_nothing()
    {
        var counted = new[] { "Giving up on message ", "Outbox backlog ", "Readiness Unhealthy: " };
        var others = bot.Lines.Where(l => !counted.Any(c => Message(l).StartsWith(c, StringComparison.Ordinal))).ToList();

        Assert.True(others.Count > 10, $"Only {others.Count} other lines");
        Assert.All(others, line => Assert.Empty(Published(line)));
        Assert.Empty(Published("Unhandled exception. System.InvalidOperationException: not JSON"));
    }
}
