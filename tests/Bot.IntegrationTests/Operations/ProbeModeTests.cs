using Bot.Testing;
using Microsoft.AspNetCore.Http;

namespace Bot.IntegrationTests.Operations;

/// <summary><c>dotnet Bot.dll probe URL</c>, the container's health check: the exit code says whether the probe answered 2xx.</summary>
public sealed class ProbeModeTests
{
    [Fact]
    public async Task A_probe_that_answers_200_exits_0_and_one_that_answers_503_exits_1()
    {
        var (app, address) = await LoopbackApp.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/healthz" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await using var _ = app;

        var healthy = await BotProcess.RunAsync(["probe", new Uri(address, "healthz").ToString()]);
        var unready = await BotProcess.RunAsync(["probe", new Uri(address, "readyz").ToString()]);

        Assert.Equal((0, "/healthz: 200"), (healthy.ExitCode, healthy.StandardOutput.Trim()));
        Assert.Equal((1, "/readyz: 503"), (unready.ExitCode, unready.StandardOutput.Trim()));
    }

    [Fact]
    public async Task Nothing_listening_exits_1_and_a_url_off_this_machine_is_refused()
    {
        var nothing = await BotProcess.RunAsync(["probe", "http://127.0.0.1:9/healthz"]);
        var remote = await BotProcess.RunAsync(["probe", "http://example.com/healthz"]);

        Assert.Equal(1, nothing.ExitCode);
        Assert.Equal(2, remote.ExitCode);
    }
}
