using System.Globalization;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>
/// The operations guide's security, dashboard and cost commands verbatim (where it gives them) with Debian's <c>aws</c>
/// against the standalone sandbox: rotating secrets, the access review, the dashboard, the activity-feed review, and the
/// forecast. Debian's CLI speaks IAM's and CloudWatch's query protocol and Secrets Manager's JSON 1.1.
/// </summary>
[Collection(AwsCliCollection.Name)]
public sealed class AwsCliSecurityRunbookTests(StandaloneSandboxWithCli sandbox) : IClassFixture<StandaloneSandboxWithCli>
{
    private readonly AwsCli _aws = sandbox.Aws;

    private static Dictionary<string, string[]> Stages(JsonElement secret) =>
        secret.GetProperty("VersionIdsToStages").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(s => s.GetString()!).Order().ToArray());

    [Fact]
    public async Task The_guides_rotate_secret_runs_to_AWSCURRENT_and_describe_secret_follows_it()
    {
        var before = (await _aws.RunAsync("secretsmanager", "describe-secret", "--secret-id", "securebase-prod-db-credentials")).Json;

        var rotated = (await _aws.RunAsync("secretsmanager", "rotate-secret", "--secret-id", "securebase-prod-db-credentials")).Json;
        var version = rotated.GetProperty("VersionId").GetString()!;
        JsonElement after;
        var waited = TimeSpan.Zero;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
            after = (await _aws.RunAsync("secretsmanager", "describe-secret", "--secret-id", "securebase-prod-db-credentials")).Json;
        } while (!Stages(after).GetValueOrDefault(version, []).Contains("AWSCURRENT") && waited < TimeSpan.FromSeconds(40));

        Assert.True(before.GetProperty("RotationEnabled").GetBoolean());
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], Stages(after)[version]);
        Assert.Equal(["AWSPREVIOUS"], Stages(after)[Stages(before).Single(s => s.Value.Contains("AWSCURRENT")).Key]);
    }

    [Fact]
    public async Task The_guides_access_review_commands_answer_with_decoded_policy_documents()
    {
        var attached = _aws.RunAsync("iam", "list-attached-role-policies", "--role-name", "securebase-prod-user-management-role");
        var inline = _aws.RunAsync("iam", "get-role-policy", "--role-name", "securebase-prod-user-management-role", "--policy-name", "user-management-permissions");
        var role = _aws.RunAsync("iam", "get-role", "--role-name", "securebase-prod-report-engine-role");
        var missing = _aws.RunAsync("iam", "get-role", "--role-name", "securebase-prod-nope-role");
        await Task.WhenAll(attached, inline, role, missing);

        Assert.Equal(["securebase-prod-lambda-logging", "securebase-prod-user-management-data"],
            (await attached).Json.GetProperty("AttachedPolicies").EnumerateArray().Select(p => p.GetProperty("PolicyName").GetString()!).Order().ToArray());
        Assert.Equal("2012-10-17", (await inline).Json.GetProperty("PolicyDocument").GetProperty("Version").GetString());
        Assert.Equal("us-east-1", (await role).Json.GetProperty("Role").GetProperty("RoleLastUsed").GetProperty("Region").GetString());
        Assert.NotEqual(0, (await missing).ExitCode);
        Assert.Contains("(NoSuchEntity) when calling the GetRole operation", (await missing).StandardError);
    }

    [Fact]
    public async Task The_dashboard_its_widget_image_the_log_groups_and_the_forecast_answer()
    {
        var today = DateTimeOffset.UtcNow;
        var dashboard = _aws.RunAsync("cloudwatch", "get-dashboard", "--dashboard-name", "SecureBase-Phase4-Prod");
        var staging = _aws.RunAsync("cloudwatch", "get-dashboard", "--dashboard-name", "SecureBase-Phase4-Staging");
        var image = _aws.RunAsync("cloudwatch", "get-metric-widget-image", "--metric-widget",
            """{"metrics":[["AWS/Lambda","Invocations","FunctionName","securebase-prod-user-management"]],"stat":"Sum","period":300,"width":400,"height":200}""");
        var groups = _aws.RunAsync("logs", "describe-log-groups", "--log-group-name-prefix", "/aws/lambda/securebase-prod-");
        var forecast = _aws.RunAsync("ce", "get-cost-forecast", "--time-period",
            $"Start={today:yyyy-MM-dd},End={today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", "--metric", "UNBLENDED_COST", "--granularity", "MONTHLY");
        await Task.WhenAll(dashboard, staging, image, groups, forecast);

        Assert.Contains("\"AWS/Lambda\"", (await dashboard).Json.GetProperty("DashboardBody").GetString());
        Assert.NotEqual(0, (await staging).ExitCode);
        Assert.Contains("(ResourceNotFound)", (await staging).StandardError);
        var png = Convert.FromBase64String((await image).Json.GetProperty("MetricWidgetImage").GetString()!);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(png, 1, 3));
        Assert.Contains((await groups).Json.GetProperty("logGroups").EnumerateArray(), g => !g.TryGetProperty("retentionInDays", out _));
        Assert.True(double.Parse((await forecast).Json.GetProperty("Total").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task The_guides_activity_feed_scan_meets_DynamoDBs_reserved_word_and_the_placeholder_form_works()
    {
        var guide = _aws.RunAsync("dynamodb", "scan", "--table-name", "securebase-prod-activity-feed",
            "--filter-expression", "action = :action", "--expression-attribute-values", """{":action":{"S":"failed_login"}}""", "--limit", "100");
        var placeholder = _aws.RunAsync("dynamodb", "query", "--table-name", "securebase-prod-activity-feed", "--index-name", "ActionIndex",
            "--key-condition-expression", "#a = :a", "--expression-attribute-names", """{"#a":"action"}""",
            "--expression-attribute-values", """{":a":{"S":"failed_login"}}""", "--max-items", "50");
        await Task.WhenAll(guide, placeholder);

        Assert.NotEqual(0, (await guide).ExitCode);
        Assert.Contains("reserved keyword: action", (await guide).StandardError);
        var items = (await placeholder).Json.GetProperty("Items").EnumerateArray().ToList();
        Assert.Equal(50, items.Count);
        Assert.All(items, i => Assert.Equal("failed_login", i.GetProperty("action").GetProperty("S").GetString()));
    }

    [Fact]
    public async Task The_guides_export_to_s3_completes_and_writes_the_manifest_and_the_rows_into_the_audit_exports_bucket()
    {
        var started = (await _aws.RunAsync("dynamodb", "export-table-to-point-in-time",
            "--table-arn", "arn:aws:dynamodb:us-east-1:123456789012:table/securebase-prod-activity-feed",
            "--s3-bucket", "securebase-audit-exports", "--s3-prefix", "activity-feed/", "--export-format", "DYNAMODB_JSON")).Json.GetProperty("ExportDescription");
        var arn = started.GetProperty("ExportArn").GetString()!;
        JsonElement described;
        var waited = TimeSpan.Zero;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            waited += TimeSpan.FromMilliseconds(500);
            described = (await _aws.RunAsync("dynamodb", "describe-export", "--export-arn", arn)).Json.GetProperty("ExportDescription");
        } while (described.GetProperty("ExportStatus").GetString() == "IN_PROGRESS" && waited < TimeSpan.FromSeconds(30));
        var listed = (await _aws.RunAsync("s3api", "list-objects-v2", "--bucket", "securebase-audit-exports", "--prefix", "activity-feed/AWSDynamoDB/")).Json;
        var keys = listed.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()!).ToList();
        var noBucket = (await _aws.RunAsync("dynamodb", "export-table-to-point-in-time",
            "--table-arn", "arn:aws:dynamodb:us-east-1:123456789012:table/securebase-dev-activity-feed", "--s3-bucket", "securebase-audit-exports")).StandardError;

        Assert.Equal("IN_PROGRESS", started.GetProperty("ExportStatus").GetString());
        Assert.Matches(@"^arn:aws:dynamodb:us-east-1:123456789012:table/securebase-prod-activity-feed/export/\d{13}-[0-9a-f]{8}$", arn);
        Assert.Equal("COMPLETED", described.GetProperty("ExportStatus").GetString());
        Assert.InRange(described.GetProperty("ItemCount").GetInt64(), 4000, 7000);
        var folder = "activity-feed/AWSDynamoDB/" + arn[(arn.LastIndexOf('/') + 1)..] + "/";
        Assert.Equal(folder + "manifest-summary.json", described.GetProperty("ExportManifest").GetString());
        Assert.Contains(folder + "manifest-files.json", keys);
        Assert.Contains(keys, k => k.StartsWith(folder + "data/", StringComparison.Ordinal) && k.EndsWith(".json.gz", StringComparison.Ordinal));
        var dataKey = keys.Single(k => k.StartsWith(folder + "data/", StringComparison.Ordinal));
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json.gz");
        try
        {
            Assert.Equal(0, (await _aws.RunAsync("s3api", "get-object", "--bucket", "securebase-audit-exports", "--key", dataKey, file)).ExitCode);
            using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(file), System.IO.Compression.CompressionMode.Decompress));
            var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(described.GetProperty("ItemCount").GetInt64(), lines.Length);
            Assert.All(lines, l => Assert.StartsWith("{\"Item\":{", l));
            Assert.Contains(lines, l => l.Contains("\"action\":{\"S\":\"failed_login\"}", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
        // The dev feed has no point-in-time recovery, so it cannot be exported (as on AWS).
        Assert.Contains("PointInTimeRecoveryUnavailableException", noBucket);
    }
}
