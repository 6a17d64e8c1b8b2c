using Bot.Testing;
using Bot.Tests;
using System.Text.RegularExpressions;
using Bot.Workflows.Outbox;
using Microsoft.Extensions.Logging;
using static Bot.Tests.Deploy.CloudFormationTemplate;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The stack's log metric filters, run on the bot's log lines as its JSON console logger writes them: each line
/// publishes exactly the metrics the alarms expect, and ordinary lines publish nothing.
/// </summary>
public sealed class LogMetricFilterTests
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

    /// <summary>A message template as the code writes it, found in src/ (exactly one call logs it).</summary>
    private static string TemplateInCode(string method, string start)
    {
        var calls = Directory.EnumerateFiles(Path.Combine(Fixtures.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), $@"\.{method}\(""({Regex.Escape(start)}[^""]*)""").Select(m => m.Groups[1].Value))
            .ToList();
        return Assert.Single(calls);
    }

    [Fact]
    public void A_message_the_outbox_gives_up_counts_as_a_dead_letter_at_once()
    {
        var line = BotLogLines.Format(typeof(OutboxSender).FullName!, LogLevel.Error, TemplateInCode("LogError", "Giving up on message "), "msg-1", "C0OPS", 5, "channel_not_found");

        Assert.Equal(["DeadLetters=1"], Published(line));
    }

    [Fact]
    public void A_delivery_the_outbox_retries_publishes_nothing()
    {
        var line = BotLogLines.Format(typeof(OutboxSender).FullName!, LogLevel.Warning, TemplateInCode("LogWarning", "Delivery to {Channel} failed ("), "C0OPS", "ratelimited", 2, TimeSpan.FromSeconds(4));

        Assert.Empty(Published(line));
    }

    [Fact]
    public void The_periodic_outbox_line_gives_the_dead_letters_the_backlog_and_the_age_of_the_oldest_message()
    {
        var line = BotLogLines.Format("Bot.Operations.OperationsMonitor", LogLevel.Information, BotLogLines.OutboxTemplate, 12, 95, 2);

        Assert.Equal(["DeadLetters=2", "OutboxBacklog=12", "OutboxOldestAgeSeconds=95"], Published(line));
        Assert.Equal(["DeadLetters=0", "OutboxBacklog=0", "OutboxOldestAgeSeconds=0"], Published(BotLogLines.Format("Bot.Operations.OperationsMonitor", LogLevel.Information, BotLogLines.OutboxTemplate, 0, 0, 0)));
    }

    [Fact]
    public void Only_an_unhealthy_readiness_counts_as_readiness_failing()
    {
        string Readiness(string status, string checks) => BotLogLines.Format("Bot.Hosting.ReadinessLog", LogLevel.Information, BotLogLines.ReadinessTemplate, status, checks);

        Assert.Equal(["ReadinessUnhealthy=1"], Published(Readiness("Unhealthy", "slack-connections")));
        // A store outage makes readiness Degraded (the bot still serves what it can): not a readiness failure.
        Assert.Empty(Published(Readiness("Degraded", "workflow-store")));
        Assert.Empty(Published(Readiness("Healthy", "")));
    }

    [Fact]
    public void Ordinary_lines_publish_nothing()
    {
        var command = BotLogLines.Format("Bot.Slack.SlackEndpoints", LogLevel.Information, "Slack command {SlackRequestId} from {UserId}: {Command} ended {Outcome} in {ElapsedMs} ms", "1234.5678", "U0ALICE", "/sb status", "ok", 412);

        Assert.Empty(Published(command));
        Assert.Empty(Published("Unhandled exception. System.InvalidOperationException: not JSON"));
    }
}
