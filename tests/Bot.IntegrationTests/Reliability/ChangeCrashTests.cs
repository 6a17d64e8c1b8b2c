using Bot.Testing;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// A production change with the bot killed (SIGKILL, a real process) at each of its steps and started again on the
/// same store: the change still completes, the alias moved exactly once, every transition is audited once in an
/// intact chain, every Slack message was posted once. Bounded: short leases, a three-second watch window.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class ChangeCrashTests
{
    public static TheoryData<string> Points => new(ChangeKillPoints.All);

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_change_killed_at_a_step_completes_after_a_restart_with_nothing_lost_and_nothing_done_twice(string point)
    {
        await using var rig = await ChangeRig.StartAsync();
        var bot = await rig.StartBotAsync();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var approved = false;
        // Kills once; afterwards every message passes (the restarted instance must be able to finish).
        bool Kill()
        {
            if (!killed.TrySetResult()) return true;
            bot.Kill();
            return false;
        }
        ChangeKillPoints.Arm(point, rig, Kill, () => Volatile.Read(ref approved));

        await rig.RequestDeployAsync(bot);
        var button = await rig.ApproveButtonAsync();
        if (ChangeKillPoints.BeforeApproval.Contains(point))
        {
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await bot.RestartAsync();
        }
        Volatile.Write(ref approved, true);
        await ClickAsync(rig, bot, button);
        if (point == ChangeKillPoints.ClickAcknowledged) Kill();

        var completed = await DriveToCompletionAsync(rig, bot, killed.Task, button);

        Assert.True(killed.Task.IsCompleted, $"The kill point {point} was never reached.\n{rig.Logs}");
        Assert.True(completed, $"The change did not complete after a kill at {point}: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        await rig.AssertCompletedOnceAsync();
    }

    private static async Task ClickAsync(ChangeRig rig, RestartableBotServer bot, (string, string) button)
    {
        try
        {
            await rig.ClickAsync(bot, ChangeRig.Bob, button);
        }
        catch (HttpRequestException)
        {
            // The instance died under the click: as for a person, the click may be lost.
        }
    }

    /// <summary>
    /// Restarts the killed instance and waits for the change to complete and every message to go out; when the approval was lost with the instance
    /// (the card still asks for it), Bob clicks again, as a person would.
    /// </summary>
    private static async Task<bool> DriveToCompletionAsync(ChangeRig rig, RestartableBotServer bot, Task killed, (string, string) button)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var restartedAt = (DateTime?)null;
        var clickedAgain = false;
        while (DateTime.UtcNow < deadline)
        {
            if (await rig.IsSettledInAsync(ChangeRig.WatchEnded)) return true;
            var change = await rig.ChangeAsync();
            if (killed.IsCompleted && restartedAt is null)
            {
                await bot.RestartAsync();
                restartedAt = DateTime.UtcNow;
            }
            if (restartedAt is { } at && DateTime.UtcNow - at > TimeSpan.FromSeconds(2) && change?.State == "PendingApproval" && !clickedAgain)
            {
                await ClickAsync(rig, bot, button);
                clickedAgain = true;
            }
            await Task.Delay(200);
        }
        return false;
    }
}

/// <summary>The fault suite's tests start real processes: they run one at a time, not beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilitySuite
{
    public const string Name = "Reliability (real processes)";
}
