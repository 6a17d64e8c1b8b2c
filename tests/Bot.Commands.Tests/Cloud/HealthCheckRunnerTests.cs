using Bot.Testing;
using System.Net;
using Bot.Integrations.Aws;
using Bot.Commands.Cloud.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Commands.Tests.Cloud;

public sealed class HealthCheckRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_slow_probe_becomes_a_warning_and_a_failing_one_a_failure_without_holding_up_the_rest()
    {
        var neverAnswers = new TaskCompletionSource<ProbeResult>();
        var runner = new HealthCheckRunner(_time, NullLogger<HealthCheckRunner>.Instance);
        var probes = new List<HealthProbe>
        {
            new("Tables", _ => Task.FromResult(ProbeResult.Ok("Tables", "all 3 ACTIVE"))),
            new("Functions", _ => neverAnswers.Task),
            new("Alarms", _ => throw new AwsServiceException("CloudWatch", "AccessDeniedException", "no", HttpStatusCode.BadRequest, "r")),
            new("Logs", async ct => { await Task.Yield(); return ProbeResult.Warning("Logs", "12 ERROR lines"); }),
        };

        var finished = 0;
        probes = probes.Select(p => p with
        {
            Run = async ct =>
            {
                try { return await p.Run(ct); }
                finally { Interlocked.Increment(ref finished); }
            },
        }).ToList();

        var running = runner.RunAsync("prod", probes, TimeSpan.FromSeconds(5), default);
        await WaitUntil(() => Volatile.Read(ref finished) == 3);
        Assert.False(running.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var report = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["Tables", "Functions", "Alarms", "Logs"], report.Results.Select(r => r.Area));
        Assert.Equal(ProbeStatus.Ok, report.Results[0].Status);
        Assert.Equal(ProbeStatus.Warning, report.Results[1].Status);
        Assert.Contains("no answer within 5 s", report.Results[1].Summary.ToPlainText());
        Assert.Equal(ProbeStatus.Failed, report.Results[2].Status);
        Assert.Equal("access denied (AccessDeniedException)", report.Results[2].Summary.ToPlainText());
        Assert.Equal(ProbeStatus.Warning, report.Results[3].Status);
        Assert.Equal(2, report.Warnings);
        Assert.Equal(1, report.Failures);
        Assert.Equal(ProbeStatus.Failed, report.Overall);
    }

    [Fact]
    public async Task All_probes_start_at_once()
    {
        var started = 0;
        var gate = new TaskCompletionSource();
        var runner = new HealthCheckRunner(_time, NullLogger<HealthCheckRunner>.Instance);
        var probes = Enumerable.Range(0, 7).Select(i => new HealthProbe($"a{i}", async _ =>
        {
            Interlocked.Increment(ref started);
            await gate.Task;
            return ProbeResult.Ok($"a{i}", "ok");
        })).ToList();

        var running = runner.RunAsync("prod", probes, TimeSpan.FromSeconds(5), default);
        await WaitUntil(() => Volatile.Read(ref started) == 7);
        gate.SetResult();
        var report = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(7, report.Results.Count(r => r.Status == ProbeStatus.Ok));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(5);
        }
    }
}
