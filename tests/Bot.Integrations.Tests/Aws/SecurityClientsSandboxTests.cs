using Bot.Integrations.Aws;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Integrations.Aws.Iam;
using Bot.Integrations.Aws.SecretsManager;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>
/// The security views' clients against the sandbox over real HTTP with SigV4: IAM in the query protocol (XML answers and
/// errors, Marker paging, URL-encoded documents), Secrets Manager in JSON 1.1 (metadata only, a rotation that moves the
/// stages), and the activity feed read a page at a time on its ActionIndex or by Scan, and exported to S3.
/// </summary>
public sealed class SecurityClientsSandboxTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 14, 7, 30, TimeSpan.Zero));
    private SandboxServer _sandbox = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { ClockSkewTolerance = null }, _time);
        _services = StubClients.ForSandbox(_sandbox);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private T Client<T>() where T : notnull => _services.GetRequiredService<T>();

    [Fact]
    public async Task IAM_answers_the_role_its_policies_and_their_documents_decoded()
    {
        var iam = Client<IIamClient>();
        const string role = "securebase-prod-report-engine-role";

        var described = await iam.GetRoleAsync(role, default);
        var attached = await iam.ListAttachedRolePoliciesAsync("securebase-prod-user-management-role", default);
        var inline = await iam.ListRolePoliciesAsync(role, default);
        var document = await iam.GetRolePolicyAsync(role, inline.Single(), default);
        var data = attached.Single(p => p.PolicyName == "securebase-prod-user-management-data");
        var policy = await iam.GetPolicyAsync(data.PolicyArn, default);
        var version = await iam.GetPolicyVersionAsync(data.PolicyArn, policy.DefaultVersionId, default);

        Assert.Equal(role, described.RoleName);
        Assert.NotNull(described.LastUsed);
        Assert.Equal("us-east-1", described.LastUsedRegion);
        Assert.Equal(["securebase-prod-lambda-logging", "securebase-prod-user-management-data"], attached.Select(p => p.PolicyName).Order());
        Assert.Equal("report-engine-permissions", inline.Single());
        Assert.Contains("\"s3:*\"", document);
        Assert.StartsWith("{", document.TrimStart());
        Assert.Equal("v3", policy.DefaultVersionId);
        Assert.Contains("dynamodb:", version);
    }

    [Fact]
    public async Task An_unknown_role_is_NoSuchEntity_read_from_IAMs_XML_error()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Client<IIamClient>().GetRoleAsync("securebase-prod-nope-role", default));

        Assert.Equal("NoSuchEntity", error.Code);
        Assert.Equal(AwsErrorKind.NotFound, error.Kind);
        Assert.Contains("securebase-prod-nope-role", error.AwsMessage);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task Secrets_are_listed_by_prefix_with_their_rotation_and_stages_and_never_a_value()
    {
        var secrets = Client<ISecretsManagerClient>();

        var listed = await secrets.ListSecretsAsync("securebase-prod-", default);
        var jwt = await secrets.DescribeSecretAsync("securebase-prod-jwt-secret", default);
        var smtp = listed.Single(s => s.Name == "securebase-prod-invite-smtp");

        Assert.Equal(["securebase-prod-api-keys", "securebase-prod-db-credentials", "securebase-prod-invite-smtp", "securebase-prod-jwt-secret", "securebase-prod-report-signing-key"],
            listed.Select(s => s.Name));
        Assert.True(jwt.RotationConfigured);
        Assert.Equal("rate(90 days)", jwt.RotationRules?.ScheduleExpression);
        Assert.NotNull(jwt.VersionWith(SecretStages.Current));
        Assert.Null(jwt.UnfinishedVersion);
        Assert.False(smtp.RotationConfigured);
        Assert.Null(smtp.LastRotatedDate);
        Assert.NotNull(smtp.LastChangedDate);
        Assert.Equal(listed.Count, listed.Count(s => s.Stages.Count > 0));
    }

    [Fact]
    public async Task A_rotation_started_with_a_token_makes_that_version_current_and_a_repeat_starts_nothing_new()
    {
        var secrets = Client<ISecretsManagerClient>();
        const string secret = "securebase-prod-db-credentials";
        var before = await secrets.DescribeSecretAsync(secret, default);
        var token = new string('a', 32);

        var started = await secrets.RotateSecretAsync(secret, token, default);
        var again = await secrets.RotateSecretAsync(secret, token, default);
        _time.Advance(TimeSpan.FromSeconds(3));
        var pending = await secrets.DescribeSecretAsync(secret, default);
        _time.Advance(TimeSpan.FromSeconds(6));
        var after = await secrets.DescribeSecretAsync(secret, default);

        Assert.Equal(token, started.VersionId);
        Assert.Equal(token, again.VersionId);
        Assert.Equal(token, pending.UnfinishedVersion);
        Assert.Equal(token, after.VersionWith(SecretStages.Current));
        Assert.Equal(before.VersionWith(SecretStages.Current), after.VersionWith(SecretStages.Previous));
    }

    [Fact]
    public async Task The_feed_is_read_a_page_at_a_time_on_its_ActionIndex_and_by_Scan_with_the_reserved_words_as_placeholders()
    {
        var items = Client<IDynamoDbItems>();
        const string table = "securebase-prod-activity-feed";
        var keys = await items.DescribeKeysAsync(table, default);
        var index = keys.IndexOn("action")!;
        var names = new Dictionary<string, string> { ["#a"] = "action", ["#t"] = "timestamp" };
        var values = new Dictionary<string, string> { [":a"] = "failed_login", [":from"] = "2026-03-09T14:07:30.000Z" };

        var first = await items.QueryAsync(new ItemRead { Table = table, Index = index.Name, KeyCondition = "#a = :a AND #t >= :from", Names = names, Values = values, Limit = 50 }, default);
        var second = await items.QueryAsync(new ItemRead { Table = table, Index = index.Name, KeyCondition = "#a = :a AND #t >= :from", Names = names, Values = values, Limit = 50, StartKey = first.NextKey }, default);
        var scanned = await items.ScanAsync(new ItemRead
        {
            Table = table, Filter = "#a = :a", Names = new Dictionary<string, string> { ["#a"] = "action" },
            Values = new Dictionary<string, string> { [":a"] = "failed_login" }, Limit = 200
        }, default);

        Assert.StartsWith("arn:aws:dynamodb:us-east-1:", keys.TableArn);
        Assert.Equal(("ActionIndex", "timestamp"), (index.Name, index.SortKey));
        Assert.Equal(50, first.Items.Count);
        Assert.NotNull(first.NextKey);
        Assert.All(first.Items.Concat(second.Items), i => Assert.Equal("failed_login", i["action"]));
        Assert.True(string.CompareOrdinal(first.Items[^1]["timestamp"], second.Items[0]["timestamp"]) <= 0);
        Assert.Equal(200, scanned.Scanned);
        Assert.InRange(scanned.Items.Count, 1, 199);
        Assert.NotNull(scanned.NextKey);
    }

    [Fact]
    public async Task An_export_of_the_feed_runs_to_completed_on_the_accounts_clock()
    {
        var keys = await Client<IDynamoDbItems>().DescribeKeysAsync("securebase-prod-activity-feed", default);
        var exports = Client<IDynamoDbExports>();

        var started = await exports.ExportTableToPointInTimeAsync(keys.TableArn, "securebase-audit-exports", "activity-feed/", null, "token-0001", default);
        var repeat = await exports.ExportTableToPointInTimeAsync(keys.TableArn, "securebase-audit-exports", "activity-feed/", null, "token-0001", default);
        _time.Advance(TimeSpan.FromSeconds(11));
        var done = await exports.DescribeExportAsync(started.ExportArn, default);

        Assert.True(started.InProgress);
        Assert.Equal(started.ExportArn, repeat.ExportArn);
        Assert.True(done.Completed);
        Assert.InRange(done.ItemCount ?? 0, 4000, 7000);
        Assert.EndsWith("manifest-summary.json", done.ManifestKey);
    }
}
