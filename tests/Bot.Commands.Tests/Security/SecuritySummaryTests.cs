using Bot.Commands.Cloud;
using Bot.Commands.Security;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Tests.Security;

/// <summary>The weekly review's security lines: secret ages with the rotations due, the failed-login trend, access-review changes, break-glass reviews; a failing area is named.</summary>
public sealed class SecuritySummaryTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await SecuritySandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    private SecureBaseEnvironment Prod => _sb.Services.GetRequiredService<IOptions<SecureBaseOptions>>().Value.Get("prod");

    [Fact]
    public async Task The_week_has_its_rotations_due_its_bursts_the_access_drift_and_an_unreviewed_break_glass_change()
    {
        await _sb.RunAsync("access");
        _sb.Sandbox.Account.Iam.Drift("securebase-prod-user-management-role");
        await _sb.RunAsync("access user-management");
        await _sb.Services.GetRequiredService<WorkflowEngine>().CreateAsync(Change.Request("CHG-260310-BG01", new ChangeData
        {
            Spec = new ChangeSpec { Kind = ChangeKind.ReservedConcurrency, Environment = "prod", Function = "securebase-prod-report-engine", ConcurrencyFrom = 10, ConcurrencyTo = 50 },
            Channel = "C-OPS", RequesterId = "U0SAM", RequesterName = "sam", Category = ChangeCategory.Emergency, BreakGlass = true, Unreviewed = true,
            ExpiresAt = _sb.Time.GetUtcNow().AddHours(4),
        }), new WorkflowActor("U0SAM", "sam"), "req-bg", null, default);

        var summary = await _sb.Services.GetRequiredService<SecuritySummary>().WeeklyAsync(Prod, default);
        var text = string.Join("\n", summary.Lines.Select(l => l.ToPlainText()));
        var actions = string.Join("\n", summary.Actions.Select(l => l.ToPlainText()));

        Assert.False(summary.Healthy);
        Assert.Empty(summary.Problems);
        Assert.Contains("Secrets: 5 in prod, 2 critical (≥ 80 days), 1 past 60 days: securebase-prod-api-keys 94d, securebase-prod-invite-smtp 203d, securebase-prod-jwt-secret 67d", text);
        Assert.Contains("Failed logins: ", text);
        Assert.Contains("Medium: suspicious activity", text);
        Assert.Contains("Access review: 3 of 3 role(s) reviewed", text);
        Assert.Contains("changed this week: securebase-prod-user-management-role (+2 −1)", text);
        Assert.Contains("Break-glass changes: 1 this week, 0 reviewed, unreviewed: CHG-260310-BG01", text);
        Assert.Contains("Rotate securebase-prod-jwt-secret (67 days old): /sb rotate securebase-prod-jwt-secret", actions);
        Assert.Contains("Configure rotation for securebase-prod-invite-smtp (203 days old, never rotated)", actions);
        Assert.Contains("Review break-glass change CHG-260310-BG01", actions);
    }

    [Fact]
    public async Task An_area_that_cannot_be_read_is_named_and_the_others_still_come()
    {
        _sb.Sandbox.Account.Faults.Error("ListSecrets", "InternalServiceError", 500, "boom", times: 5);

        var summary = await _sb.Services.GetRequiredService<SecuritySummary>().WeeklyAsync(Prod, default);

        Assert.Single(summary.Problems, p => p.StartsWith("Secret ages:", StringComparison.Ordinal));
        Assert.Equal(4, summary.Lines.Count);
        Assert.Contains(summary.Lines, l => l.ToPlainText().Contains("Failed logins:", StringComparison.Ordinal));
        Assert.Contains(summary.Lines, l => l.ToPlainText().Contains("Access review: 0 of 3 role(s) reviewed", StringComparison.Ordinal));
    }
}
