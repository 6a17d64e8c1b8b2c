using System.Net;
using System.Text;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>The recovery faults set and cleared over the sandbox's control API, as a person rehearsing would.</summary>
public sealed class RecoveryFaultControlTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Control(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await _sandbox.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    [Fact]
    public async Task A_restore_fails_fault_set_over_HTTP_fails_the_next_restore_only()
    {
        var set = await Control(HttpMethod.Post, "/_sandbox/faults/restore-fails", """{"table":"securebase-staging-user-sessions","times":1}""");
        var listed = await Control(HttpMethod.Get, "/_sandbox/faults");
        await _sandbox.DynamoAsync("RestoreTableToPointInTime", new { SourceTableName = "securebase-staging-user-sessions", TargetTableName = "securebase-drill-a", UseLatestRestorableTime = true });
        await _sandbox.DynamoAsync("RestoreTableToPointInTime", new { SourceTableName = "securebase-staging-user-sessions", TargetTableName = "securebase-drill-b", UseLatestRestorableTime = true });
        _sandbox.Time.Advance(TimeSpan.FromMinutes(1));
        var a = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-drill-a" });
        var b = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-drill-b" });

        Assert.Equal(HttpStatusCode.Created, set.Status);
        Assert.Equal("restore-fails", set.Body.GetProperty("kind").GetString());
        Assert.Contains(listed.Body.EnumerateArray(), f => f.GetProperty("kind").GetString() == "restore-fails");
        Assert.Equal("ResourceNotFoundException", a.ErrorType);
        Assert.Equal("ACTIVE", b.Body.GetProperty("Table").GetProperty("TableStatus").GetString());
    }

    [Fact]
    public async Task A_bucket_versioning_fault_is_visible_to_S3_until_deleted()
    {
        var bucket = "securebase-staging-reports-123456789012";
        var set = await Control(HttpMethod.Post, "/_sandbox/faults/bucket-versioning", $$"""{"bucket":"{{bucket}}","status":"Disabled"}""");
        var off = await _sandbox.S3Async(HttpMethod.Get, $"/{bucket}?versioning");
        var cleared = await Control(HttpMethod.Delete, "/_sandbox/faults/" + set.Body.GetProperty("id").GetString());
        var on = await _sandbox.S3Async(HttpMethod.Get, $"/{bucket}?versioning");
        var unknown = await Control(HttpMethod.Post, "/_sandbox/faults/bucket-versioning", """{"bucket":"not-ours"}""");

        Assert.Equal("Disabled", set.Body.GetProperty("status").GetString());
        Assert.Empty(off.Xml.Root!.Elements());
        Assert.Equal(HttpStatusCode.NoContent, cleared.Status);
        Assert.Equal("Enabled", on.Xml.Root!.Elements().Single().Value);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("not-ours", unknown.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_summary_lists_the_buckets_and_the_tables_that_exist_now()
    {
        await _sandbox.DynamoAsync("RestoreTableToPointInTime", new { SourceTableName = "securebase-prod-reports", TargetTableName = "securebase-prod-reports-restored", UseLatestRestorableTime = true });

        var summary = await Control(HttpMethod.Get, "/_sandbox");

        Assert.Equal(4, summary.Body.GetProperty("buckets").GetArrayLength()); // a reports bucket per environment and the audit exports
        Assert.Contains(summary.Body.GetProperty("tables").EnumerateArray(), t => t.GetString() == "securebase-prod-reports-restored");
        Assert.Contains(summary.Body.GetProperty("endpoints").EnumerateArray(), e => e.GetString()!.Contains("restore-fails", StringComparison.Ordinal));
    }
}
