using System.Net;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>
/// Secrets Manager (JSON 1.1, <c>secretsmanager.</c>): the planted ages against the procedures' schedule, rotations
/// followed through their stages on the sandbox clock to success or to a failure at testSecret, and the rotation
/// function's log lines.
/// </summary>
public sealed class SecretsManagerSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<JsonElement> DescribeAsync(string secret)
    {
        var answer = await _sandbox.SecretsAsync("DescribeSecret", new { SecretId = secret });
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        AwsShapes.AssertMatches("secretsmanager", "DescribeSecretResponse", answer.Body);
        return answer.Body;
    }

    private static Dictionary<string, string[]> Stages(JsonElement secret) =>
        secret.GetProperty("VersionIdsToStages").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(s => s.GetString()!).Order().ToArray());

    private double AgeDays(JsonElement secret) =>
        (_sandbox.NowSeconds - (secret.TryGetProperty("LastRotatedDate", out var r) ? r : secret.GetProperty("LastChangedDate")).GetDouble()) / 86400;

    private async Task<List<string>> RotationLogAsync(string env = "prod")
    {
        var answer = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = $"/aws/lambda/securebase-{env}-secret-rotation", startTime = _sandbox.NowMs - 600_000 });
        return answer.Body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
    }

    [Fact]
    public async Task ListSecrets_by_name_prefix_gives_the_environments_secrets_with_the_planted_ages()
    {
        var answer = await _sandbox.SecretsAsync("ListSecrets", new { Filters = new[] { new { Key = "name", Values = new[] { "securebase-prod-" } } } });

        AwsShapes.AssertMatches("secretsmanager", "ListSecretsResponse", answer.Body);
        var secrets = answer.Body.GetProperty("SecretList").EnumerateArray().ToDictionary(s => s.GetProperty("Name").GetString()!);
        Assert.Equal(["securebase-prod-api-keys", "securebase-prod-db-credentials", "securebase-prod-invite-smtp", "securebase-prod-jwt-secret", "securebase-prod-report-signing-key"],
            secrets.Keys.Order().ToArray());
        Assert.InRange(AgeDays(secrets["securebase-prod-db-credentials"]), 12, 13);
        Assert.InRange(AgeDays(secrets["securebase-prod-report-signing-key"]), 26, 27);
        Assert.InRange(AgeDays(secrets["securebase-prod-jwt-secret"]), 67, 68);
        Assert.InRange(AgeDays(secrets["securebase-prod-api-keys"]), 94, 95);
        Assert.InRange(AgeDays(secrets["securebase-prod-invite-smtp"]), 203, 204);
        Assert.False(secrets["securebase-prod-invite-smtp"].TryGetProperty("RotationEnabled", out _));
        Assert.False(secrets["securebase-prod-invite-smtp"].TryGetProperty("LastRotatedDate", out _));
    }

    [Fact]
    public async Task ListSecrets_pages_and_negates_filters()
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await _sandbox.SecretsAsync("ListSecrets", token is null ? new { MaxResults = 4 } : new { MaxResults = 4, NextToken = token });
            names.AddRange(page.Body.GetProperty("SecretList").EnumerateArray().Select(s => s.GetProperty("Name").GetString()!));
            token = page.Body.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        var notProd = await _sandbox.SecretsAsync("ListSecrets", new { Filters = new[] { new { Key = "name", Values = new[] { "!securebase-prod-" } } } });

        Assert.Equal(15, names.Distinct().Count());
        Assert.Equal(10, notProd.Body.GetProperty("SecretList").GetArrayLength());
    }

    [Fact]
    public async Task DescribeSecret_shows_the_rotation_configuration_and_the_stages()
    {
        var db = await DescribeAsync("securebase-prod-db-credentials");
        var jwt = await DescribeAsync("securebase-prod-jwt-secret");

        Assert.True(db.GetProperty("RotationEnabled").GetBoolean());
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:securebase-prod-secret-rotation", db.GetProperty("RotationLambdaARN").GetString());
        Assert.Equal(30, db.GetProperty("RotationRules").GetProperty("AutomaticallyAfterDays").GetInt32());
        Assert.Equal(["AWSCURRENT"], Stages(db).Values.Single(v => v.Contains("AWSCURRENT")));
        Assert.Contains(["AWSPREVIOUS"], Stages(db).Values);
        Assert.Matches(@"^arn:aws:secretsmanager:us-east-1:123456789012:secret:securebase-prod-db-credentials-[A-Za-z0-9]{6}$", db.GetProperty("ARN").GetString());
        Assert.True(db.GetProperty("NextRotationDate").GetDouble() > _sandbox.NowSeconds);
        Assert.Equal("rate(90 days)", jwt.GetProperty("RotationRules").GetProperty("ScheduleExpression").GetString());
        Assert.Equal(90, jwt.GetProperty("RotationRules").GetProperty("AutomaticallyAfterDays").GetInt32());
        Assert.Equal(0, db.GetProperty("LastAccessedDate").GetDouble() % 86400);
    }

    [Fact]
    public async Task The_functions_configuration_says_which_functions_read_a_secret()
    {
        var db = await DescribeAsync("securebase-prod-db-credentials");
        var arn = db.GetProperty("ARN").GetString()!;

        var readers = _sandbox.Account.Functions.Where(f => f.Latest.Environment.Values.Contains(arn)).Select(f => f.Name).Order().ToArray();
        var jwtReaders = _sandbox.Account.Functions.Where(f => f.Latest.Environment.Values.Contains("securebase-prod-jwt-secret")).Select(f => f.Name).Order().ToArray();

        Assert.Equal(["securebase-prod-report-engine", "securebase-prod-user-management"], readers);
        Assert.Equal(["securebase-prod-session-management", "securebase-prod-user-management"], jwtReaders);
    }

    [Fact]
    public async Task A_rotation_goes_from_AWSPENDING_to_AWSCURRENT_and_the_old_version_becomes_AWSPREVIOUS()
    {
        var before = Stages(await DescribeAsync("securebase-prod-db-credentials"));
        var oldCurrent = before.Single(v => v.Value.Contains("AWSCURRENT")).Key;

        var rotate = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-db-credentials" });
        AwsShapes.AssertMatches("secretsmanager", "RotateSecretResponse", rotate.Body);
        var version = rotate.Body.GetProperty("VersionId").GetString()!;
        _sandbox.Time.Advance(TimeSpan.FromSeconds(3));
        var pending = Stages(await DescribeAsync("securebase-prod-db-credentials"));
        var again = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-db-credentials" });
        _sandbox.Time.Advance(TimeSpan.FromSeconds(6));
        var after = await DescribeAsync("securebase-prod-db-credentials");

        Assert.Equal(["AWSPENDING"], pending[version]);
        Assert.Equal(["AWSCURRENT"], pending[oldCurrent]);
        Assert.Equal("InvalidRequestException", again.ErrorType);
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], Stages(after)[version]);
        Assert.Equal(["AWSPREVIOUS"], Stages(after)[oldCurrent]);
        Assert.Equal(2, Stages(after).Count);
        Assert.InRange(AgeDays(after), 0, 0.001);
        var log = await RotationLogAsync();
        Assert.Contains(log, l => l.Contains("finishSecret: Successfully set AWSCURRENT stage to version " + version));
        Assert.Equal(4, log.Count(l => l.StartsWith("REPORT RequestId:")));
    }

    [Fact]
    public async Task Two_rotations_in_a_row_keep_one_AWSPENDING_and_two_labelled_versions()
    {
        var first = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-report-signing-key" });
        _sandbox.Time.Advance(TimeSpan.FromSeconds(9));
        var second = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-report-signing-key" });
        _sandbox.Time.Advance(TimeSpan.FromSeconds(3));
        var midway = Stages(await DescribeAsync("securebase-prod-report-signing-key"));
        _sandbox.Time.Advance(TimeSpan.FromSeconds(6));
        var after = Stages(await DescribeAsync("securebase-prod-report-signing-key"));

        var (v1, v2) = (first.Body.GetProperty("VersionId").GetString()!, second.Body.GetProperty("VersionId").GetString()!);
        Assert.Equal(["AWSCURRENT"], midway[v1]);
        Assert.Equal(["AWSPENDING"], midway[v2]);
        Assert.Equal(["AWSPREVIOUS"], after[v1]);
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], after[v2]);
        Assert.Equal(2, after.Count);
    }

    [Fact]
    public async Task A_failed_rotation_leaves_AWSCURRENT_where_it_was_logs_the_error_and_blocks_the_next_until_AWSPENDING_is_removed()
    {
        _sandbox.Account.Faults.RotationFailure("securebase-prod-jwt-secret");
        var before = Stages(await DescribeAsync("securebase-prod-jwt-secret"));

        var rotate = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-jwt-secret" });
        var version = rotate.Body.GetProperty("VersionId").GetString()!;
        _sandbox.Time.Advance(TimeSpan.FromSeconds(10));
        var after = Stages(await DescribeAsync("securebase-prod-jwt-secret"));
        var log = await RotationLogAsync();
        var blocked = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-jwt-secret" });
        var removed = await _sandbox.SecretsAsync("UpdateSecretVersionStage", new { SecretId = "securebase-prod-jwt-secret", VersionStage = "AWSPENDING", RemoveFromVersionId = version });
        _sandbox.Account.Faults.ClearAll();
        var retried = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-jwt-secret" });

        Assert.Equal(before.Single(v => v.Value.Contains("AWSCURRENT")).Key, after.Single(v => v.Value.Contains("AWSCURRENT")).Key);
        Assert.Equal(["AWSPENDING"], after[version]);
        Assert.Contains(log, l => l.StartsWith("[ERROR]\t") && l.Contains("testSecret: Unable to sign in with the pending secret"));
        Assert.Contains(log, l => l.StartsWith("[ERROR] ValueError:"));
        Assert.DoesNotContain(log, l => l.Contains("finishSecret"));
        Assert.Equal("InvalidRequestException", blocked.ErrorType);
        Assert.Contains("previous rotation", blocked.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, removed.Status);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
    }

    [Fact]
    public async Task A_secret_without_rotation_cannot_be_rotated_and_an_unknown_one_is_not_found()
    {
        var smtp = await _sandbox.SecretsAsync("RotateSecret", new { SecretId = "securebase-prod-invite-smtp" });
        var missing = await _sandbox.SecretsAsync("DescribeSecret", new { SecretId = "securebase-prod-nope" });

        Assert.Equal(HttpStatusCode.BadRequest, smtp.Status);
        Assert.Equal("InvalidRequestException", smtp.ErrorType);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("ResourceNotFoundException", missing.ErrorType);
        Assert.Equal("Secrets Manager can't find the specified secret.", missing.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetSecretValue_reads_the_current_value_and_marks_the_day_of_access()
    {
        var value = await _sandbox.SecretsAsync("GetSecretValue", new { SecretId = "securebase-staging-db-credentials" });
        var byArn = await _sandbox.SecretsAsync("DescribeSecret", new { SecretId = value.Body.GetProperty("ARN").GetString() });

        AwsShapes.AssertMatches("secretsmanager", "GetSecretValueResponse", value.Body);
        Assert.Equal("securebase_app", JsonDocument.Parse(value.Body.GetProperty("SecretString").GetString()!).RootElement.GetProperty("username").GetString());
        Assert.Equal(["AWSCURRENT"], value.Body.GetProperty("VersionStages").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.Equal("securebase-staging-db-credentials", byArn.Body.GetProperty("Name").GetString());
    }
}
