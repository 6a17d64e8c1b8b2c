using System.Net;
using System.Text.RegularExpressions;
using Bot.Sandbox;

namespace Bot.Sandbox.Tests;

public sealed class SandboxProgramTests
{
    [Fact]
    public async Task The_standalone_sandbox_prints_its_url_credentials_and_fault_endpoints_and_serves_until_stopped()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SandboxProgram.RunAsync(["--urls", "http://127.0.0.1:0"], TextWriter.Synchronized(output), TextWriter.Null, stop.Token);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Match url;
        while (!(url = Regex.Match(output.ToString(), @"listening on (http://127\.0\.0\.1:\d+)")).Success)
            await Task.Delay(10, timeout.Token);
        using var client = new HttpClient();
        var summary = await client.GetAsync(url.Groups[1].Value + "/_sandbox", timeout.Token);
        await stop.CancelAsync();
        var exit = await run.WaitAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("AWS_ACCESS_KEY_ID=AKIASANDBOX000000001", text);
        Assert.Contains("/_sandbox/faults/function-errors", text);
        Assert.Contains("PagerDuty__ApiToken=sandbox-pagerduty-api-token-0001", text);
        Assert.Contains("/_sandbox/pagerduty/incidents/{scenario}", text);
        Assert.Contains("sandbox: stopped", text);
    }

    [Fact]
    public async Task A_non_loopback_url_is_refused_with_exit_code_2()
    {
        var errors = new StringWriter();

        var exit = await SandboxProgram.RunAsync(["--urls", "http://0.0.0.0:4566"], TextWriter.Null, errors, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("loopback", errors.ToString());
    }
}
