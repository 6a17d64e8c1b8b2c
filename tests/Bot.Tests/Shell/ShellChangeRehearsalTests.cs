using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Changes;
using Bot.Integrations.Aws;
using Bot.Workflows.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests.Shell;

/// <summary>
/// The change workflow's done-when in the shell, against the sandbox account: alice asks for a deploy, her own approval is
/// refused, bob's moves the alias in the sandbox, and /sb changes shows it being watched.
/// </summary>
public sealed class ShellChangeRehearsalTests
{
    [Fact]
    public async Task Alice_requests_a_deploy_her_approval_is_refused_bobs_moves_the_alias_and_the_watch_begins()
    {
        using var shell = new ShellHarness(settings: new()
        {
            ["Shell:SettleTime"] = "00:00:01",
        });
        await shell.Host.StartAsync();
        try
        {
            await shell.RunAsync("as alice\n/sb deploy user-management --publish --reason \"ship 1.8.0\"\nclick 1\nas bob\nclick 1\n");
            var changes = shell.Host.Services.GetRequiredService<ChangeReader>();
            var change = Assert.Single(await changes.RecentAsync(DateTimeOffset.UtcNow.AddHours(-1), 10, CancellationToken.None));
            for (var i = 0; i < 300 && change.CurrentState != ChangeState.Verifying; i++)
            {
                await Task.Delay(100);
                change = (await changes.FindAsync(change.Id, CancellationToken.None))!;
            }
            await shell.RunAsync("/sb changes\n");

            Assert.Contains("You requested this change, so someone else must approve it (two-person rule).", shell.Output);
            Assert.Equal(ChangeState.Verifying, change.CurrentState);
            Assert.Equal(("7", "8", "bob"), (change.Data.Spec.FromVersion, change.Data.Spec.ToVersion, change.Data.Approvals.Single().Name));
            Assert.Contains($"`{change.Id}` *Verifying*", shell.Output);
            var sandbox = shell.Host.Services.GetRequiredService<Bot.Sandbox.Account.SandboxAccount>();
            Assert.Equal("8", sandbox.Function("securebase-prod-user-management")!.Aliases["PROD"].Current.Version);
        }
        finally
        {
            await shell.Host.StopAsync();
        }
    }
}
