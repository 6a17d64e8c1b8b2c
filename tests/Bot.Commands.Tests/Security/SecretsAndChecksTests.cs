using Bot.Sandbox.Account;
using Bot.Workflows.Messages;

namespace Bot.Commands.Tests.Security;

/// <summary><c>/sb secrets</c> (ages against the schedule, never a value) and <c>/sb security checks</c> (UNAUTHORIZED lines, CloudTrail errors).</summary>
public sealed class SecretsAndChecksTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await SecuritySandbox.StartAsync(new() { ["Security:CloudTrailLogGroup"] = SandboxAccount.CloudTrailLogGroup });
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task Secrets_are_measured_against_the_procedures_schedule_worst_first_and_no_value_is_shown()
    {
        var answer = Assert.Single((await _sb.RunAsync("secrets")).Responses);
        var text = answer.Text.ToPlainText();
        var lines = text.Split('\n');
        var values = _sb.Sandbox.Account.Secrets.All.SelectMany(s => s.Versions).Select(v => v.Value).Where(v => v.Length >= 8).ToList();

        Assert.StartsWith(":red_circle: 5 secret(s) in prod (securebase-prod-*): 2 critical, 1 past the warning age", lines[0]);
        Assert.StartsWith(":red_circle: securebase-prod-api-keys 94 days old · rotation on, every 120 days", lines[1]);
        Assert.StartsWith(":red_circle: securebase-prod-invite-smtp 203 days old · no rotation configured · last rotated never", lines[2]);
        Assert.StartsWith(":warning: securebase-prod-jwt-secret 67 days old · rotation on, rate(90 days)", lines[3]);
        Assert.Contains(lines, l => l.StartsWith(":white_check_mark: securebase-prod-db-credentials 12 days old", StringComparison.Ordinal));
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.DoesNotContain(v, text));
    }

    [Fact]
    public async Task The_schedule_comes_from_configuration()
    {
        await using var strict = await SecuritySandbox.StartAsync(new() { ["Security:Credentials:WarnDays"] = "10", ["Security:Credentials:CriticalDays"] = "20" });

        var text = Assert.Single((await strict.RunAsync("secrets staging")).Responses).Text.ToPlainText();

        Assert.StartsWith(":red_circle: 5 secret(s) in staging (securebase-staging-*): 4 critical, 1 past the warning age", text);
    }

    [Fact]
    public async Task The_daily_checks_find_the_UNAUTHORIZED_lines_and_the_CloudTrail_denials_masked()
    {
        var answer = Assert.Single((await _sb.RunAsync("security checks --since 7d")).Responses);
        var text = answer.Text.ToPlainText();

        Assert.StartsWith(":warning: Security checks, prod, last 1w:", text);
        Assert.Contains("securebase-prod-session-management: ", text);
        Assert.Contains("UNAUTHORIZED login rejected", text);
        Assert.Contains("\"sourceIp\":\"203.0.113.x\"", text);
        Assert.Contains("AccessDenied ×", text);
        Assert.Contains("contractor-jdoe calling secretsmanager:GetSecretValue from 198.51.100.x", text);
        Assert.Contains("Failed authentication (failed sign-in) ×", text);
        Assert.Contains("calling signin:ConsoleLogin from 203.0.113.x", text);
        Assert.DoesNotContain("203.0.113.57", text);
        Assert.DoesNotContain("198.51.100.77", text);
    }

    [Fact]
    public async Task A_quiet_hour_is_clean_and_says_what_it_checked()
    {
        await using var quiet = await SecuritySandbox.StartAsync();

        var text = Assert.Single((await quiet.RunAsync("security checks --since 15m --env dev")).Responses).Text.ToPlainText();

        Assert.StartsWith(":white_check_mark: Security checks, dev, last 15m: clean — no UNAUTHORIZED lines (CloudTrail not checked: set Security__CloudTrailLogGroup).", text);
    }
}
