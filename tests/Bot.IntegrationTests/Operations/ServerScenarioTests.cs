using System.Text;
using System.Text.Json;

namespace Bot.IntegrationTests.Operations;

/// <summary>What the server process did in <see cref="ServerScenario"/>: its logs, its telemetry, its shutdown, and no secret anywhere.</summary>
public sealed class ServerScenarioTests(ServerScenario scenario) : IClassFixture<ServerScenario>
{
    [Fact]
    public void No_configured_secret_reaches_a_log_line_a_slack_payload_an_ack_or_the_telemetry()
    {
        var emitted = scenario.EverythingEmitted().ToList();

        Assert.Contains(emitted, e => e.Where.StartsWith("OTLP", StringComparison.Ordinal));
        Assert.True(emitted.Count(e => e.Where == "stdout") > 100, "the scenario should log a lot at Trace level");
        foreach (var secret in ServerScenario.Secrets)
        {
            var needle = Encoding.UTF8.GetBytes(secret);
            var leaks = emitted.Where(e => e.Bytes.AsSpan().IndexOf(needle) >= 0).Select(e => e.Where).Distinct().ToList();
            Assert.True(leaks.Count == 0, $"'{secret[..6]}…' leaked to: {string.Join(", ", leaks)}");
        }
    }

    [Fact]
    public void Every_line_the_server_writes_to_stdout_is_one_json_object()
    {
        Assert.All(scenario.Server.StandardOutput.Where(l => l.Length > 0), line =>
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
    }

    [Fact]
    public void Each_slack_request_ends_with_one_line_naming_its_request_id_user_command_and_outcome()
    {
        var requests = scenario.LogLines().Where(l => State(l, "Kind") is not null && State(l, "Outcome") is not null && State(l, "SlackRequestId") is not null).ToList();

        var help = Assert.Single(requests, l => State(l, "Command") == "/sb help");
        Assert.Equal(("U1ALICE", "answered in the ack"), (State(help, "UserId"), State(help, "Outcome")));
        Assert.Single(requests, l => State(l, "Command") == "/sb status" && State(l, "Outcome") == "ok");
        Assert.Single(requests, l => State(l, "Command") == "/sb deploy" && State(l, "Outcome") == "ok");
    }

    [Fact]
    public void Each_workflow_transition_is_one_line_with_the_workflow_id_and_outcome_inside_the_request_it_came_from()
    {
        var transitions = scenario.LogLines().Where(l => State(l, "Workflow") == "change").ToList();

        var created = Assert.Single(transitions, l => State(l, "Trigger") == "Create");
        Assert.Equal("transitioned", State(created, "Outcome"));
        Assert.False(string.IsNullOrEmpty(State(created, "WorkflowId")));
        Assert.Contains(Scopes(created), s => s.TryGetProperty("SlackRequestId", out _) && s.GetProperty("Command").GetString() == "/sb deploy");
        Assert.Contains(transitions, l => State(l, "To") is "Completed" or "NotVerified" && State(l, "WorkflowId") == State(created, "WorkflowId"));
    }

    [Fact]
    public void Metrics_and_traces_were_exported_over_otlp()
    {
        var metrics = scenario.Otlp.Exports.Where(e => e.Path == "/v1/metrics").ToList();

        Assert.Contains(metrics, e => e.Mentions("sb.commands") && e.Mentions("deploy"));
        Assert.Contains(metrics, e => e.Mentions("sb.slack.ack.duration") && e.Mentions("socket_mode"));
        Assert.Contains(metrics, e => e.Mentions("sb.aws.call.duration") && e.Mentions("lambda"));
        Assert.Contains(metrics, e => e.Mentions("sb.outbox.backlog") && e.Mentions("sb.timers.due") && e.Mentions("sb.changes.pending") && e.Mentions("sb.incidents.open"));
        Assert.Contains(scenario.Otlp.Exports, e => e.Path == "/v1/traces" && e.Mentions("SecureBase.Bot"));
        Assert.All(scenario.Otlp.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
    }

    [Fact]
    public void Sigterm_drains_first_and_the_process_exits_cleanly()
    {
        var lines = scenario.Server.StandardOutput.ToList();
        var drain = lines.FindIndex(l => l.Contains("/readyz now answers 503", StringComparison.Ordinal));
        var stopped = lines.FindIndex(l => l.Contains("Application is shutting down", StringComparison.Ordinal));

        Assert.Equal(0, scenario.ExitCode);
        Assert.True(drain >= 0, "the drain was not logged");
        Assert.True(stopped >= 0 && stopped <= drain, "the drain follows the shutdown signal");
    }

    private static string? State(JsonElement line, string key) =>
        line.TryGetProperty("State", out var state) && state.TryGetProperty(key, out var value) ? value.ToString() : null;

    private static IEnumerable<JsonElement> Scopes(JsonElement line) =>
        line.TryGetProperty("Scopes", out var scopes) ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object) : [];
}
