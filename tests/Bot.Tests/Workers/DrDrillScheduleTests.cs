using Bot.Tests.Recovery;
using Bot.Workers;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Workers;

public sealed class DrDrillScheduleTests
{
    [Theory]
    [InlineData(null, "UTC", "staging", true)]
    [InlineData("0 10 1 1,4,7,10 *", "Europe/London", "staging", true)]
    [InlineData("every quarter", "UTC", "staging", false)]
    [InlineData("0 10 1 1,4,7,10 *", "Mars/Olympus_Mons", "staging", false)]
    [InlineData("0 10 1 1,4,7,10 *", "UTC", "", false)]
    public void The_schedule_is_off_without_a_cron_and_a_bad_one_is_refused(string? cron, string zone, string environment, bool valid) =>
        Assert.Equal(valid, new DrDrillScheduleOptions { Cron = cron, TimeZone = zone, Environment = environment }.IsValid());

    [Fact]
    public async Task A_scheduled_staging_drill_starts_as_the_bot_and_reports_in_the_ops_channel()
    {
        await using var shell = await RecoveryShell.StartAsync(new() { ["Reports:DrDrill:Tables:0"] = "user-invites" });
        var schedule = shell.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DrDrillSchedule>().Single();
        var chat = shell.Services.GetRequiredService<Bot.Integrations.Slack.IChannelPoster>();

        await schedule.RunOnceAsync(chat, "C-SHELL", CancellationToken.None);
        var record = await shell.WaitForAsync(RestoreJob.Type, "Completed", "Failed");

        var drill = (RestoreJob)RestoreJob.Definition.Restore(record!);
        Assert.Equal((RestoreJobState.Completed, "securebase-bot"), (drill.CurrentState, drill.Data.RequesterId));
        Assert.Equal(["securebase-staging-user-invites"], drill.Data.Steps.Select(s => s.Source));
        Assert.Contains("DR drill report (staging)", shell.Output);
    }
}
