using Bot.Commands.Security.IamAccess;
using Bot.Workflows.AccessReviews;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Commands.Tests.Security;

/// <summary><c>/sb access</c>: the planted wildcard and writes outside securebase-* are flagged, the review is kept, and the next one shows the drift.</summary>
public sealed class AccessReviewTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await SecuritySandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task The_first_review_flags_the_wildcard_and_the_write_outside_securebase_and_keeps_the_result()
    {
        var text = Assert.Single((await _sb.RunAsync("access")).Responses).Text.ToPlainText();

        Assert.StartsWith(":warning: Access review, prod: 3 role(s) reviewed, 2 with findings, 0 changed since the previous review.", text);
        Assert.Contains("inline report-engine-permissions / ReportsBucket: wildcard action s3:*", text);
        Assert.Contains("inline report-engine-permissions / ReportsBucket: resource *", text);
        Assert.Contains("inline session-management-permissions / LegacySessionMirror: writes (dynamodb:DeleteItem,dynamodb:PutItem,dynamodb:UpdateItem) outside securebase-*", text);
        Assert.Contains("securebase-prod-user-management → role securebase-prod-user-management-role, 3 statement(s), last used", text);
        Assert.Contains("first review of this role", text);
        var kept = (AccessReview)AccessReview.Definition.Restore((await _sb.Services.GetRequiredService<IAggregateStore>().LoadAsync(AccessReview.Type, "prod", default))!);
        Assert.Equal(["securebase-prod-report-engine", "securebase-prod-session-management", "securebase-prod-user-management"], kept.Data.Functions.Keys.Order());
        Assert.Equal("sam", kept.Data.Functions["securebase-prod-report-engine"].ReviewedBy);
    }

    [Fact]
    public async Task The_second_review_shows_what_drifted_since_the_first_and_both_are_in_the_audit_trail()
    {
        await _sb.RunAsync("access");
        _sb.Sandbox.Account.Iam.Drift("securebase-prod-user-management-role");
        _sb.Time.Advance(TimeSpan.FromHours(1));

        var text = Assert.Single((await _sb.RunAsync("access user-management", user: "ada")).Responses).Text.ToPlainText();
        var again = Assert.Single((await _sb.RunAsync("access report-engine")).Responses).Text.ToPlainText();

        Assert.StartsWith(":warning: Access review, prod: 1 role(s) reviewed, 1 with findings, 1 changed since the previous review.", text);
        Assert.Contains("changed since the review of", text);
        Assert.Contains("by @sam:", text);
        Assert.Contains("+ inline temporary-debug-access / TemporaryDebugAccess: Allow dynamodb:* on arn:aws:dynamodb:us-east-1:123456789012:table/*", text);
        Assert.Contains("+ attached securebase-prod-user-management-data@v4 / SecureBaseTables: Allow dynamodb:DeleteItem,dynamodb:DeleteTable,", text);
        Assert.Contains("− attached securebase-prod-user-management-data@v3 / SecureBaseTables:", text);
        Assert.Contains("inline temporary-debug-access / TemporaryDebugAccess: wildcard action dynamodb:*", text);
        Assert.Contains("no change since the review of", again);
        var records = await _sb.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery(), default);
        Assert.Equal(3, records.Count(r => r.AggregateType == AccessReview.Type));
    }

    [Fact]
    public async Task A_function_whose_role_is_not_SecureBases_is_refused_and_nothing_is_kept()
    {
        _sb.Sandbox.Account.UpdateFunctionConfiguration("securebase-prod-report-engine", new Bot.Sandbox.Account.FunctionConfigurationChange(Role: "arn:aws:iam::123456789012:role/payroll-admin"));

        var text = string.Join("\n", (await _sb.RunAsync("access report-engine")).Responses.Select(r => r.Text.ToPlainText()));

        Assert.Contains("securebase-prod-report-engine was not reviewed: its execution role payroll-admin is not a SecureBase role", text);
        Assert.Null(await _sb.Services.GetRequiredService<IAggregateStore>().LoadAsync(AccessReview.Type, "prod", default));
    }

    [Theory]
    [InlineData("Allow", "s3:GetObject", "arn:aws:s3:::securebase-prod-reports-1/*", 0)]
    [InlineData("Allow", "s3:PutObject", "arn:aws:s3:::other-bucket/*", 1)]
    [InlineData("Allow", "s3:GetObject", "arn:aws:s3:::other-bucket/*", 0)]
    [InlineData("Allow", "*", "arn:aws:s3:::securebase-prod-reports-1/*", 1)]
    [InlineData("Allow", "logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/securebase-prod-*:*", 0)]
    [InlineData("Deny", "*", "*", 0)]
    public void A_statement_is_flagged_for_wildcards_and_writes_outside_securebase(string effect, string action, string resource, int findings)
    {
        var document = System.Text.Json.JsonSerializer.Serialize(new { Statement = new { Effect = effect, Action = action, Resource = resource } });
        var statement = PolicyStatement.Parse("inline p", document).Single();

        Assert.Equal(findings, statement.Findings().Count);
    }
}
