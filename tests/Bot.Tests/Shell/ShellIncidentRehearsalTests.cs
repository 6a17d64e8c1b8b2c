using Bot.Testing;
using Bot.Tests;
using Bot.Shell;
using Bot.Sandbox.Account;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests.Shell;

/// <summary>
/// The incident story in the shell against the sandbox: a rehearsal pages, the thread appears, the sandbox's PagerDuty
/// clock (jumped forward here) escalates it and the thread follows, and alice acknowledges from the card as herself.
/// </summary>
public sealed class ShellIncidentRehearsalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_rehearsed_incident_becomes_a_thread_that_follows_the_sandbox_clock_and_alice_acknowledges_it()
    {
        using var shell = new ShellHarness(settleTime: TimeSpan.FromSeconds(5));
        await shell.Host.StartAsync();
        try
        {
            var session = shell.Host.Services.GetRequiredService<ShellSession>();
            var terminal = shell.Host.Services.GetRequiredService<ShellTerminal>();
            var account = shell.Host.Services.GetRequiredService<SandboxAccount>();
            await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);

            await session.ExecuteAsync("/sb sandbox incident lambda-errors", CancellationToken.None);
            await WaitUntil(() => shell.Output.Contains("Incident #1: Lambda function errors", StringComparison.Ordinal));
            await WaitUntil(() => shell.Output.Contains("Runbook: Lambda function errors", StringComparison.Ordinal));
            await session.ExecuteAsync("/sb sandbox pager forward 15m", CancellationToken.None);
            await WaitUntil(() => shell.Output.Contains("to level 2 (Senior DevOps engineer) by PagerDuty", StringComparison.Ordinal));
            await WaitUntil(() => LatestButton(terminal, "Acknowledge") is not null && shell.Output.Contains("PagerDuty escalates to Engineering manager", StringComparison.Ordinal));
            // A person clicks the card they see once it has stopped changing; on a loaded machine edits may still be on their way.
            await WaitQuiet(shell, TimeSpan.FromSeconds(2));

            await session.ExecuteAsync("as alice", CancellationToken.None);
            await session.ExecuteAsync($"click {LatestButton(terminal, "Acknowledge")}", CancellationToken.None);

            var incident = Assert.Single(account.PagerDuty.Incidents);
            await WaitUntil(() => account.PagerDuty.Incident(incident.Id)!.Status == "acknowledged");
            await WaitUntil(() => shell.Output.Contains("Acknowledged* by ", StringComparison.Ordinal) || shell.Output.Contains("Acknowledged by ", StringComparison.Ordinal));
            Assert.DoesNotContain("out of date", shell.Output, StringComparison.Ordinal);
        }
        finally
        {
            await shell.Host.StopAsync();
        }
    }

    private static int? LatestButton(ShellTerminal terminal, string label)
    {
        for (var n = terminal.ButtonCount; n >= 1; n--)
            if (terminal.Button(n) is { } button && button.Action.Label == label) return n;
        return null;
    }

    private static async Task WaitQuiet(ShellHarness shell, TimeSpan quiet)
    {
        using var cts = new CancellationTokenSource(Patience);
        var length = -1;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - since < quiet)
        {
            if (shell.Output.Length != length) (length, since) = (shell.Output.Length, DateTime.UtcNow);
            await Task.Delay(50, cts.Token);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(20, cts.Token);
    }
}
