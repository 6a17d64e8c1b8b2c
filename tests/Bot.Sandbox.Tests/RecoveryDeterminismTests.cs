using System.Net;
using System.Net.Http.Headers;
using Bot.Sandbox.Account;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Sandbox.Tests;

/// <summary>The recovery data comes from the seed and the clock, and S3 answers virtual-hosted-style requests too.</summary>
public sealed class RecoveryDeterminismTests
{
    private static (string Sessions, string Versions, string Backups, string Targets) Fingerprint(SandboxAccount account)
    {
        var sessions = account.DynamoDb.Find("securebase-staging-user-sessions")!.Items!.Scan(null, account.Time.GetUtcNow(), 5, null);
        var versions = account.S3.Bucket("securebase-prod-reports-123456789012")!.ListVersions("reports/", null, null, null, 5);
        return (
            string.Join(",", sessions.Items.Select(i => i["session_id"]!.Text + "@" + i["created_at"]!.Text)),
            string.Join(",", versions.Entries.Select(e => e.Version.Key + "@" + e.Version.VersionId + "@" + e.Version.ETag)),
            string.Join(",", account.DynamoDb.Backups(null, null, null, "ALL").Select(b => b.Arn)),
            string.Join(",", account.AutoScaling.Targets("dynamodb", [], null).Select(t => t.Arn)));
    }

    [Fact]
    public void The_same_seed_and_clock_give_the_same_sessions_versions_backups_and_targets()
    {
        var time = new FakeTimeProvider(SandboxHttp.Start);

        var a = Fingerprint(new SandboxAccount(new SandboxOptions(), time));
        var b = Fingerprint(new SandboxAccount(new SandboxOptions(), time));
        var other = Fingerprint(new SandboxAccount(new SandboxOptions { Seed = 7 }, time));

        Assert.Equal(a, b);
        Assert.NotEqual(a.Sessions, other.Sessions);
        Assert.NotEqual(a.Versions, other.Versions);
        Assert.NotEqual(a.Backups, other.Backups);
    }

    [Fact]
    public async Task A_virtual_hosted_style_request_names_the_bucket_in_the_host()
    {
        await using var sandbox = await SandboxHttp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?versioning");
        request.Headers.Host = $"securebase-prod-reports-123456789012.localhost:{sandbox.Server.BaseAddress.Port}";
        request.Headers.Add("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        var amzDate = sandbox.Time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.Add("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=AKIATESTSANDBOX00001/{amzDate[..8]}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={new string('0', 64)}");

        var response = await sandbox.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/xml"), response.Content.Headers.ContentType);
        Assert.Contains("<Status>Enabled</Status>", body);
    }
}
