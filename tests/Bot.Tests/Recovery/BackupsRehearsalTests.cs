using Bot.Commands.Recovery;
using Bot.Commands.Cloud.Health;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Recovery;

/// <summary><c>/sb backups</c> in the shell against the sandbox, and its part of the daily report.</summary>
public sealed class BackupsRehearsalTests
{
    [Fact]
    public async Task Backups_of_dev_warn_with_the_guides_reasons_where_prod_is_as_the_guide_says()
    {
        await using var shell = await RecoveryShell.StartAsync();

        await shell.RunAsync("/sb backups\n/sb backups dev\n");

        Assert.Contains("*Backups and recovery, prod: all as the guide says*", shell.Output);
        Assert.Contains("*Backups and recovery, dev: 4 warning(s)*", shell.Output);
        Assert.Contains("point-in-time recovery is *off*: the table cannot be restored to a point in time", shell.Output);
        Assert.Contains("TTL is *off*: expired sessions are never removed", shell.Output);
        Assert.Contains("versioning is *not enabled*: a deleted or overwritten report cannot be restored", shell.Output);
        Assert.Contains("`reports/` expire after 30 days — not the guide's 90 days", shell.Output);
    }

    [Fact]
    public async Task The_daily_report_gets_the_backups_check_only_when_it_is_not_green()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var section = shell.Services.GetServices<IDailyReportSection>().OfType<BackupsDailySection>().Single();

        var prod = await section.WhenNotCleanAsync("prod", CancellationToken.None);
        shell.Services.GetRequiredService<Bot.Sandbox.Account.SandboxAccount>().Faults.BucketVersioning("securebase-prod-reports-123456789012", "Suspended");
        var suspended = await section.WhenNotCleanAsync("prod", CancellationToken.None);

        Assert.Empty(prod);
        Assert.Contains("versioning is Suspended", Assert.Single(suspended).Text.ToPlainText());
    }
}
