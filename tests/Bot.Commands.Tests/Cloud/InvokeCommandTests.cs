using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Cloud.Invoke;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Commands.Tests.Cloud;

/// <summary><c>/sb invoke</c> through the router against the sandbox account over signed HTTP.</summary>
public sealed class InvokeCommandTests : IAsyncLifetime
{
    private const string Staging = "securebase-staging-user-management";
    private SandboxCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await SandboxCloud.StartAsync();
    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private int Invocations(string function) =>
        _cloud.Sandbox.Account.Logs.Events(_cloud.Sandbox.Account.Logs.Group("/aws/lambda/" + function)!, null, null)
            .Count(e => e.Message.StartsWith("START RequestId:", StringComparison.Ordinal));

    /// <summary>The section titled <paramref name="title"/> as Slack gets it.</summary>
    private static string CodeBlock(ChatMessage answer, string title) =>
        answer.AsSlack().Blocks.OfType<SectionBlock>().Single(b => b.Text!.Text.StartsWith($"*{title}*", StringComparison.Ordinal)).Text!.Text;

    /// <summary>The preformatted text under <paramref name="title"/>, as the command wrote it (not escaped: the transport does that).</summary>
    private static string Preformatted(ChatMessage answer, string title) =>
        answer.Blocks.OfType<TextBlock>().Select(b => b.Text.Spans)
            .Single(s => s.Count > 0 && s[0] is StrongSpan strong && strong.Text == title).OfType<PreformattedSpan>().Single().Text;

    [Fact]
    public async Task A_staging_test_shows_the_status_the_version_the_answer_and_the_log_tail_in_channel()
    {
        var reply = await _cloud.RunAsync("invoke user-management --env staging --payload '{\"path\":\"/health\"}'");

        var answer = Assert.Single(reply.Responses);
        Assert.False(answer.Ephemeral);
        Assert.StartsWith($":white_check_mark: Invoked `{Staging}:PROD` → version 8 (staging): status 200, no function error", answer.Text.AsMrkdwn());
        Assert.Contains("release", CodeBlock(answer, "Answer"));
        var tail = CodeBlock(answer, "Log tail");
        Assert.Matches(@"^\*Log tail\*\n```\nSTART RequestId: [0-9a-f-]{36} Version: 8\n", tail);
        Assert.EndsWith("\n```", tail);
        Assert.Contains("REPORT RequestId:", tail);
        Assert.Equal(1, Invocations(Staging));
    }

    [Fact]
    public async Task A_failing_function_shows_its_function_error_and_the_error_in_the_log()
    {
        _cloud.Sandbox.Account.Faults.FunctionErrors(Staging, 1.0);

        var reply = await _cloud.RunAsync($"invoke {Staging}");

        var answer = Assert.Single(reply.Responses);
        Assert.StartsWith($":x: Invoked `{Staging}:PROD` → version 8 (staging): status 200, function error `Unhandled`", answer.Text.AsMrkdwn());
        Assert.Contains("TypeError", CodeBlock(answer, "Error"));
        Assert.Contains("\tERROR\t", CodeBlock(answer, "Log tail"));
    }

    [Theory]
    [InlineData("invoke securebase-prod-user-management")]
    [InlineData("invoke user-management")]
    [InlineData("invoke user-management --env prod")]
    public async Task Production_is_refused_and_nothing_runs(string command)
    {
        var before = Invocations("securebase-prod-user-management");

        var reply = await _cloud.RunAsync(command);

        var answer = Assert.Single(reply.Responses);
        Assert.True(answer.Ephemeral);
        Assert.Contains("I don't invoke production functions", answer.Text.AsMrkdwn());
        Assert.Contains("--env staging", answer.Text.AsMrkdwn());
        Assert.Equal(before, Invocations("securebase-prod-user-management"));
    }

    [Theory]
    [InlineData("--payload '{\"path\":'")]
    [InlineData("--payload hello")]
    [InlineData("--payload")]
    public async Task A_payload_that_is_not_JSON_gets_a_usage_answer_and_nothing_runs(string payload)
    {
        var reply = await _cloud.RunAsync($"invoke user-management --env staging {payload}");

        var answer = Assert.Single(reply.Responses);
        Assert.True(answer.Ephemeral);
        Assert.Contains("--payload", answer.Text.AsMrkdwn());
        Assert.Equal(0, Invocations(Staging));
    }

    [Fact]
    public async Task An_unknown_function_gets_the_known_ones()
    {
        var reply = await _cloud.RunAsync("invoke billing --env staging");

        var answer = Assert.Single(reply.Responses);
        Assert.True(answer.Ephemeral);
        Assert.Contains("`securebase-staging-user-management`", answer.Text.AsMrkdwn());
    }

    [Fact]
    public async Task Help_describes_invoke_from_its_spec()
    {
        var overview = Assert.Single((await _cloud.RunAsync("help")).Responses);
        var details = Assert.Single((await _cloud.RunAsync("help invoke")).Responses);

        Assert.Contains("/sb invoke &lt;function&gt; --env staging [--payload '{…}']", overview.Text.AsMrkdwn());
        Assert.Contains("--payload", details.Text.AsMrkdwn());
    }

    [Fact]
    public void What_the_function_returns_and_logs_is_redacted_escaped_and_kept_inside_its_code_block()
    {
        var message = InvokeMessages.Build("securebase-staging-report-engine", "staging", "PROD", new InvokeResponse
        {
            StatusCode = 200,
            FunctionError = "Unhandled",
            ExecutedVersion = "6",
            Payload = """{"errorMessage":"<!channel> mail dana.kim@example.org","password":"hunter2"}""",
            LogTail = "START RequestId: r Version: 6\nkey AKIAABCDEFGHIJKLMNOP leaked ``` & <@U123>\nEND RequestId: r\n",
        });

        var error = CodeBlock(message, "Error");
        var tail = CodeBlock(message, "Log tail");
        Assert.Contains("&lt;!channel&gt;", error);
        Assert.Contains("[REDACTED-EMAIL]", error);
        Assert.DoesNotContain("hunter2", error);
        Assert.DoesNotContain("AKIAABCDEFGHIJKLMNOP", tail);
        Assert.Contains("&amp; &lt;@U123&gt;", tail);
        Assert.Equal(2, tail.Split("```").Length - 1);
        Assert.DoesNotContain("<!channel>", message.Text.AsMrkdwn());
        Assert.DoesNotContain("<@U123>", message.Text.AsMrkdwn());
        // The command writes the function's words as they are; escaping is the Slack adapter's.
        Assert.Contains("<!channel>", Preformatted(message, "Error"));
    }

    [Fact]
    public void A_long_log_keeps_its_end()
    {
        var log = string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i} of the log\n")) + "REPORT RequestId: r\n";

        var message = InvokeMessages.Build("f", "staging", "PROD", new InvokeResponse { StatusCode = 200, LogTail = log, Payload = "{}" });

        var tail = CodeBlock(message, "Log tail");
        Assert.Contains("…", tail);
        Assert.Contains("REPORT RequestId: r", tail);
        Assert.DoesNotContain("line 0 of", tail);
        Assert.True(tail.Length < 2600);
    }
}
