using System.Net;
using System.Text;
using System.Text.Json;
using Bot.Sandbox.Account;

namespace Bot.Sandbox.Tests;

/// <summary>Invoke on the wire: the status line and headers of InvocationResponse, the fault model, and the log group.</summary>
public sealed class LambdaInvokeSandboxTests : IAsyncLifetime
{
    private const string Staging = "securebase-staging-user-management";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private Task<AwsAnswer> Invoke(string function, string? payload = "{}", string query = "", params (string Name, string Value)[] headers) =>
        _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{function}/invocations{query}",
            payload is null ? null : JsonDocument.Parse(payload).RootElement, r =>
            {
                foreach (var (name, value) in headers) r.Headers.TryAddWithoutValidation(name, value);
            });

    private static string Tail(AwsAnswer answer) => Encoding.UTF8.GetString(Convert.FromBase64String(answer.Header("X-Amz-Log-Result")!));

    [Fact]
    public async Task A_healthy_invocation_answers_200_with_the_executed_version_its_payload_and_the_log_tail()
    {
        var answer = await Invoke(Staging, """{"path":"/health"}""", "?Qualifier=PROD", ("X-Amz-Log-Type", "Tail"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.Header("X-Amz-Function-Error"));
        Assert.Equal("8", answer.Header("X-Amz-Executed-Version"));
        Assert.Equal(200, answer.Body.GetProperty("statusCode").GetInt32());
        Assert.Contains("\"release\":\"1.8.0\"", answer.Body.GetProperty("body").GetString());
        var tail = Tail(answer);
        Assert.Matches(@"^START RequestId: [0-9a-f-]{36} Version: 8\n", tail);
        Assert.Contains("\tINFO\t", tail);
        Assert.Matches(@"END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms", tail);
    }

    [Fact]
    public async Task Without_Tail_there_is_no_log_result_header()
    {
        var answer = await Invoke(Staging);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.Header("X-Amz-Log-Result"));
        Assert.Equal("$LATEST", answer.Header("X-Amz-Executed-Version"));
    }

    [Fact]
    public async Task A_failing_version_answers_200_with_X_Amz_Function_Error_and_the_runtimes_error_object()
    {
        _sandbox.Account.Faults.FunctionErrors(Staging, 1.0);

        var answer = await Invoke(Staging, "{}", "?Qualifier=PROD", ("X-Amz-Log-Type", "Tail"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Unhandled", answer.Header("X-Amz-Function-Error"));
        Assert.Equal("TypeError", answer.Body.GetProperty("errorType").GetString());
        Assert.Contains("\tERROR\t", Tail(answer));
    }

    [Fact]
    public async Task The_bad_next_version_fails_when_invoked_and_the_version_before_it_does_not()
    {
        const string fn = "securebase-prod-user-management";
        _sandbox.Account.Faults.BadNextVersion(fn, 1.0);
        var published = _sandbox.Account.PublishVersion(fn).Version;

        var bad = await Invoke(fn, "{}", "?Qualifier=" + published);
        var good = await Invoke(fn, "{}", "?Qualifier=7");
        var byName = await Invoke($"{fn}:{published}");

        Assert.Equal("8", published);
        Assert.Equal("Unhandled", bad.Header("X-Amz-Function-Error"));
        Assert.Null(good.Header("X-Amz-Function-Error"));
        Assert.Equal("Unhandled", byName.Header("X-Amz-Function-Error"));
        Assert.Equal("8", byName.Header("X-Amz-Executed-Version"));
    }

    [Fact]
    public async Task Invocations_write_their_lines_to_the_functions_log_group()
    {
        _sandbox.Account.Faults.FunctionErrors(Staging, 1.0);
        var since = _sandbox.NowMs;
        var invoked = await Invoke(Staging, "{}", "?Qualifier=PROD", ("X-Amz-Log-Type", "Tail"));
        var requestId = System.Text.RegularExpressions.Regex.Match(Tail(invoked), "START RequestId: ([0-9a-f-]{36})").Groups[1].Value;
        _sandbox.Time.Advance(TimeSpan.FromSeconds(5));

        var found = await _sandbox.LogsAsync("FilterLogEvents", new
        {
            logGroupName = "/aws/lambda/" + Staging,
            startTime = since,
            filterPattern = $"\"{requestId}\"",
        });

        var messages = found.Body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Equal(4, messages.Count);
        Assert.StartsWith("START RequestId: " + requestId, messages[0]);
        Assert.Contains("\tERROR\t", messages[1]);
        Assert.StartsWith("REPORT RequestId: " + requestId, messages[3]);
    }

    [Fact]
    public async Task A_payload_that_is_not_JSON_is_InvalidRequestContentException()
    {
        var answer = await _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Staging}/invocations", null, r =>
            r.Content = new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidRequestContentException", answer.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task A_function_with_zero_reserved_concurrency_is_throttled_with_its_reason()
    {
        _sandbox.Account.PutFunctionConcurrency(Staging, 0);

        var answer = await Invoke(Staging);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        Assert.Equal("TooManyRequestsException", answer.Header("x-amzn-ErrorType"));
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", answer.Body.GetProperty("Reason").GetString());
    }

    [Fact]
    public async Task An_unknown_version_is_404_and_Event_and_DryRun_answer_202_and_204_without_payload()
    {
        var missing = await Invoke(Staging, "{}", "?Qualifier=42");
        var queued = await Invoke(Staging, "{}", "", ("X-Amz-Invocation-Type", "Event"));
        var dry = await Invoke(Staging, "{}", "", ("X-Amz-Invocation-Type", "DryRun"));

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains($"function:{Staging}:42", missing.Body.GetProperty("Message").GetString());
        Assert.Equal(HttpStatusCode.Accepted, queued.Status);
        Assert.Equal("", queued.Text);
        Assert.Equal(HttpStatusCode.NoContent, dry.Status);
    }

    [Fact]
    public void The_log_tail_is_the_last_4_KB_cut_on_a_character_boundary()
    {
        var log = "START\n" + string.Concat(Enumerable.Repeat("é line of log\n", 600)) + "END\n";

        var tail = SandboxAccount.LogTail(log);

        Assert.InRange(Encoding.UTF8.GetByteCount(tail), 4093, 4096);
        Assert.EndsWith("END\n", tail);
        Assert.DoesNotContain('\uFFFD', tail);
        Assert.Equal("short\n", SandboxAccount.LogTail("short\n"));
    }
}
