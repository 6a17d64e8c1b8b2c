using Bot.Sandbox.Account;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests.Shell;

/// <summary>
/// Hole 2 as it was reproduced, in the shell against the sandbox ("as X" is the identity switch): alice pages a made-up
/// outage herself, asks for an Emergency deploy naming it, and clicks Run alone. PagerDuty is asked at the click, the
/// incident is hers, and nothing runs.
/// </summary>
public sealed partial class ShellBreakGlassTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\[(\d+)\] Run alone \(break-glass, requester\)")]
    private static partial System.Text.RegularExpressions.Regex RunAlone();

    [Fact]
    public async Task Alice_cannot_break_the_glass_on_an_incident_she_paged_herself()
    {
        using var shell = new ShellHarness(settings: new() { ["Shell:SettleTime"] = "00:00:01" });
        await shell.Host.StartAsync();
        try
        {
            var sandbox = shell.Host.Services.GetRequiredService<SandboxAccount>();
            await shell.RunAsync("as alice\n/sb page securebase-prod-lambda \"made-up outage\"\n");
            var incident = sandbox.PagerDuty.Incidents.Single(i => i.Title == "made-up outage").Id;

            await shell.RunAsync($"/sb deploy user-management --publish --category emergency --incident {incident} --reason x\n");
            System.Text.RegularExpressions.Match runAlone = System.Text.RegularExpressions.Match.Empty;
            for (var i = 0; i < 100 && !(runAlone = RunAlone().Match(shell.Output)).Success; i++) await Task.Delay(100);
            await shell.RunAsync($"click {runAlone.Groups[1].Value}\n");
            for (var i = 0; i < 100 && !shell.Output.Contains("Break-glass refused", StringComparison.Ordinal); i++) await Task.Delay(100);

            Assert.Contains($"(@alice clicks [{runAlone.Groups[1].Value}] Run alone (break-glass, requester))", shell.Output);
            Assert.Contains($"*Break-glass refused:* you opened incident {incident} yourself (with /sb page)", shell.Output);
            Assert.Equal("7", sandbox.Function("securebase-prod-user-management")!.Aliases["PROD"].Current.Version);
        }
        finally
        {
            await shell.Host.StopAsync();
        }
    }
}
