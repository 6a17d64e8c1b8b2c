using Bot.Tests.Shell;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests.Recovery;

/// <summary>
/// The shell with the sandbox account, tuned so restores and drills finish in seconds: a restore takes a second of
/// sandbox time, deleted tables are gone at once, the bot looks every second. Alice requests, Bob approves (both
/// approvers in the shell's rehearsal roster).
/// </summary>
public sealed class RecoveryShell : IAsyncDisposable
{
    private RecoveryShell(ShellHarness shell) => Shell = shell;

    public ShellHarness Shell { get; }
    public IServiceProvider Services => Shell.Host.Services;
    public string Output => Shell.Output;

    public static async Task<RecoveryShell> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Sandbox:Recovery:RestoreDuration"] = "00:00:01",
            ["Sandbox:Recovery:RestoreDurationPerGiB"] = "00:00:00",
            ["Sandbox:Recovery:TableDeletionDuration"] = "00:00:00",
            ["Recovery:PollInterval"] = "00:00:01",
            ["Shell:SettleTime"] = "00:00:01",
        };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var shell = new ShellHarness(settings: all);
        await shell.Host.StartAsync();
        return new RecoveryShell(shell);
    }

    public Task RunAsync(string script) => Shell.RunAsync(script);

    /// <summary>The stored aggregates of <paramref name="type"/>, newest first.</summary>
    public async Task<IReadOnlyList<AggregateRecord>> AggregatesAsync(string type) =>
        await Services.GetRequiredService<IAggregateStore>().ListAggregatesAsync(type, null, 50, CancellationToken.None);

    /// <summary>Waits until the one aggregate of <paramref name="type"/> is in one of <paramref name="states"/>; returns it (or the last seen on timeout).</summary>
    public async Task<AggregateRecord?> WaitForAsync(string type, params string[] states)
    {
        AggregateRecord? last = null;
        for (var i = 0; i < 600; i++)
        {
            var all = await AggregatesAsync(type);
            last = all.Count > 0 ? all[0] : null;
            if (last is not null && states.Contains(last.State))
            {
                await SettledAsync();
                return last;
            }
            await Task.Delay(100);
        }
        return last;
    }

    /// <summary>Waits until every message the workflows queued was printed (the outbox is empty).</summary>
    public async Task SettledAsync()
    {
        var store = Services.GetRequiredService<IWorkflowStore>();
        for (var i = 0; i < 300 && await store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++) await Task.Delay(100);
    }

    public async ValueTask DisposeAsync()
    {
        await Shell.Host.StopAsync();
        Shell.Dispose();
    }
}
