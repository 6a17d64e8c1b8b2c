using Bot.IntegrationTests.Changes;
using Bot.Sandbox.Account;
using Microsoft.Extensions.DependencyInjection;
using static Bot.IntegrationTests.Changes.ChangesOverSlack;

namespace Bot.IntegrationTests.Security;

/// <summary>
/// <c>/sb rotate</c> over Slack against the sandbox: a Change that needs an approver and a security reviewer, two people
/// other than the requester; then RotateSecret, and the thread follows the new version to AWSCURRENT, or to the rotation
/// function's error with AWSCURRENT left where it was and the way to retry.
/// People: alice (security, requests), bob (approver), carol (approver), dave (approver and security), erin (security only).
/// </summary>
public sealed class RotationOverSlackTests : IAsyncLifetime
{
    private ChangesOverSlack _bot = null!;

    public async Task InitializeAsync() => _bot = await ChangesOverSlack.StartAsync(s =>
    {
        s["Rbac:Roles:security:Users:0"] = "U1ALICE";
        s["Rbac:Roles:security:Users:1"] = "U1DAVE";
        s["Rbac:Roles:security:Users:2"] = "U1ERIN";
        s["Rbac:Roles:approver:Users:3"] = "U1DAVE";
        s["Sandbox:SecretRotationStepDuration"] = "00:00:00.2";
        s["Security:Rotation:CheckEvery"] = "00:00:00.3";
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private SandboxAccount Account => _bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>();

    private string Current(string secret) => Account.Secrets.Find(secret)!.WithStage("AWSCURRENT")!.VersionId;

    private async Task ApproveAsync(string user, string id, int cardVersion = 1)
    {
        Ok(await _bot.ClickAsync("wf:change:Approve", await _bot.ButtonValueAsync("wf:change:Approve", cardVersion), user, id));
    }

    [Fact]
    public async Task A_rotation_needs_an_approver_and_a_security_reviewer_then_follows_the_new_version_to_AWSCURRENT_and_names_its_readers()
    {
        const string secret = "securebase-prod-db-credentials";
        var before = Current(secret);

        Ok(await _bot.CommandAsync("rotate db-credentials --reason \"rehearse the guide's rotation\"", "alice", "rotate"));
        Assert.Contains("It needs the approval of an approver and a security reviewer (2 different people, none of them you)", await _bot.AnswerAsync("rotate"));
        await _bot.WaitForCardTextAsync("rotate secret securebase-prod-db-credentials");
        await ApproveAsync("alice", "self");
        Assert.Contains("someone else must approve it", await _bot.AnswerAsync("self"));
        await ApproveAsync("bob", "bob");
        await _bot.WaitForCardTextAsync("still needed: a security reviewer");
        Assert.Equal(before, Current(secret));
        await ApproveAsync("dave", "dave", cardVersion: 2);

        await _bot.WaitForCardTextAsync("has `AWSPENDING`", TimeSpan.FromSeconds(60));
        var done = await _bot.WaitForCardTextAsync("Rotated:", TimeSpan.FromSeconds(60));
        var text = done[^1].Body;
        Assert.NotEqual(before, Current(secret));
        Assert.Equal(before, Account.Secrets.Find(secret)!.WithStage("AWSPREVIOUS")!.VersionId);
        Assert.Contains("securebase-prod-report-engine", text);
        Assert.Contains("securebase-prod-user-management", text);
        Assert.Contains("DATABASE_SECRET_ARN", text);
        Assert.Contains("pick up the new secret on their next invocation", text);
        await _bot.WaitForCardTextAsync("Completed at");
    }

    [Fact]
    public async Task A_failed_rotation_leaves_AWSCURRENT_where_it_was_and_the_thread_says_how_to_retry()
    {
        const string secret = "securebase-prod-jwt-secret";
        var before = Current(secret);
        Account.Faults.RotationFailure(secret);

        Ok(await _bot.CommandAsync("rotate jwt-secret", "alice", "rotate"));
        await _bot.WaitForCardTextAsync("rotate secret securebase-prod-jwt-secret");
        await ApproveAsync("carol", "carol");
        await _bot.WaitForCardTextAsync("still needed: a security reviewer");
        await ApproveAsync("dave", "dave", cardVersion: 2);

        var failed = (await _bot.WaitForCardTextAsync("(rotation): the rotation function failed", TimeSpan.FromSeconds(60)))[^1].Body;
        Assert.Contains("the rotation function failed: testSecret: Unable to sign in with the pending secret of secret arn securebase-prod-jwt-secret (ValueError)", failed);
        Assert.Contains("AWSCURRENT stays on version " + before[..8], failed);
        Assert.Contains("update-secret-version-stage --secret-id securebase-prod-jwt-secret --version-stage AWSPENDING --remove-from-version-id", failed);
        Assert.Contains("/sb rotate securebase-prod-jwt-secret --env prod", failed);
        Assert.Equal(before, Current(secret));
    }

    [Fact]
    public async Task One_person_holding_approver_and_security_does_not_fill_both_roles()
    {
        const string secret = "securebase-prod-api-keys";
        var before = Current(secret);
        Ok(await _bot.CommandAsync("rotate api-keys", "alice", "rotate"));
        await _bot.WaitForCardTextAsync("rotate secret securebase-prod-api-keys");

        await ApproveAsync("dave", "dave");
        await _bot.WaitForCardTextAsync("1 of 2");

        var changes = _bot.Bot.Factory.Services.GetRequiredService<Bot.Commands.Changes.ChangeReader>();
        var change = Assert.Single(await changes.RecentAsync(DateTimeOffset.UtcNow.AddHours(-1), 10, CancellationToken.None));
        Assert.Equal(Bot.Workflows.Changes.ChangeState.PendingApproval, change.CurrentState);
        Assert.NotEmpty(Bot.Workflows.Changes.ApprovalPolicy.Missing(change.Data, change.Data.Approvals));
        Assert.Equal(before, Current(secret));
    }

    [Theory]
    [InlineData("rotate invite-smtp", "alice", "has no rotation configured, so there is nothing to run: no change was requested")]
    [InlineData("rotate invite-smtp", "alice", "--rotation-lambda-arn arn:aws:lambda:us-east-1:123456789012:function:securebase-prod-secret-rotation")]
    [InlineData("rotate securebase-qa-jwt-secret", "alice", "is not a SecureBase secret")]
    [InlineData("rotate arn:aws:secretsmanager:us-east-1:123456789012:secret:payroll-key", "alice", "is not a SecureBase secret")]
    [InlineData("rotate securebase-staging-jwt-secret --env prod", "alice", "is not a SecureBase secret")]
    [InlineData("rotate nope-secret", "alice", "Secrets Manager has no secret `securebase-prod-nope-secret`")]
    [InlineData("rotate jwt-secret", "bob", "To request a secret rotation you need to be a security reviewer or a bot admin")]
    public async Task A_rotation_that_cannot_be_requested_is_refused_and_no_change_is_created(string command, string user, string expected)
    {
        Ok(await _bot.CommandAsync(command, user, "refused"));

        Assert.Contains(expected, await _bot.AnswerAsync("refused"));
        Assert.DoesNotContain(_bot.Bot.Slack.Requests, r => r.Body.Contains("wf:change:Approve", StringComparison.Ordinal));
    }
}
