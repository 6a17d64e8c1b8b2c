using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Recovery;

/// <summary>The guide's "Remove old user sessions (older than 30 days)" in the shell against the sandbox.</summary>
public sealed class CleanupRehearsalTests
{
    private const string Table = "securebase-dev-user-sessions";

    [Fact]
    public async Task A_clean_up_answers_a_dry_run_first_then_deletes_exactly_the_old_sessions_and_keeps_every_newer_one()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var sessions = shell.Services.GetRequiredService<ISessionItems>();
        var cutoff = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds();
        var (oldBefore, newerBefore) = await CountAsync(sessions, cutoff);

        await shell.RunAsync("as alice\n/sb cleanup sessions --older-than 30d --env dev\n");
        Assert.Contains($"{oldBefore:N0} session(s) created before", shell.Output);
        Assert.Empty(await shell.AggregatesAsync(CleanupJob.Type));

        await shell.RunAsync("/sb cleanup sessions --older-than 30d --env dev --rate 2000 --request\n");
        var job = (CleanupJob)CleanupJob.Definition.Restore((await shell.WaitForAsync(CleanupJob.Type, "Completed", "Failed"))!);
        var (oldAfter, newerAfter) = await CountAsync(sessions, job.Data.Plan.Cutoff);

        Assert.Equal(CleanupState.Completed, job.CurrentState);
        Assert.Equal(0, oldAfter);
        Assert.True(newerAfter >= newerBefore, $"{newerBefore} newer sessions before, {newerAfter} after");
        Assert.Equal(job.Data.Plan.Found, job.Data.Deleted + job.Data.Skipped);
        Assert.InRange(job.Data.Deleted, oldBefore - 5, oldBefore);
        Assert.Contains($"*Clean-up done:* {job.Data.Deleted:N0} sessions of `{Table}`", shell.Output);
        Assert.Equal(ChangeState.Completed, ((Change)Change.Definition.Restore(Assert.Single(await shell.AggregatesAsync(Change.Type)))).CurrentState);
    }

    [Fact]
    public async Task A_clean_up_that_would_delete_nothing_is_refused_before_any_change()
    {
        await using var shell = await RecoveryShell.StartAsync();

        await shell.RunAsync("as alice\n/sb cleanup sessions --older-than 90d --env dev --request\n/sb cleanup sessions --older-than 12h --env dev\n/sb cleanup everything --older-than 30d\n");

        Assert.Contains("is older than 90d", shell.Output);
        Assert.Contains("nothing to clean up. Nothing was requested.", shell.Output);
        Assert.Contains("is at least a day", shell.Output);
        Assert.Contains("Clean up what?", shell.Output);
        Assert.Empty(await shell.AggregatesAsync(Change.Type));
    }

    private static async Task<(long Old, long Newer)> CountAsync(ISessionItems sessions, long cutoff)
    {
        long old = 0, all = 0;
        string? cursor = null;
        do
        {
            var page = await sessions.ScanOlderThanAsync(Table, cutoff, cursor, 5000, CancellationToken.None);
            old += page.Old.Count;
            all += page.Scanned;
            cursor = page.Cursor;
        } while (cursor is not null);
        return (old, all - old);
    }
}
