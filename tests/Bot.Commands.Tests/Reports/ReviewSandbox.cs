using Bot.Commands.Tests.Security;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Commands.Tests.Reports;

/// <summary>
/// The review commands with their real clients against the sandbox on loopback (<see cref="SecuritySandbox"/>, whose security
/// lines the reviews carry), on a fake clock shared with the account, so its 90 days of history and its planted cases sit where
/// the account put them; with the functions' port over Lambda and CloudWatch, and time for a month of Logs Insights.
/// </summary>
public static class ReviewSandbox
{
    /// <summary>A Monday, 09:30 UTC: the weekly review's default hour.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    public static async Task<SecuritySandbox> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Aws:AttemptTimeout"] = "00:01:00",
            ["Aws:TotalTimeout"] = "00:02:00",
            ["SecureBase:AccountId"] = "123456789012",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        return await SecuritySandbox.StartAsync(values, Start, s =>
        {
            s.AddSingleton(new Bot.Integrations.Aws.CloudAccount(true));
            s.AddSingleton<ICloud, Bot.Integrations.Aws.LambdaCloud>();
            s.AddReportCommandHandlers();
        });
    }
}
