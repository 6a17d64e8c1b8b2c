using System.Net;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>The new faults and the IAM endpoints over the control API, as a rehearsal would set them.</summary>
public sealed class SecurityFaultControlTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string path, string json) => _sandbox.Client.PostAsync(path, new StringContent(json));

    [Fact]
    public async Task The_three_faults_are_set_listed_and_cleared_over_HTTP()
    {
        var rotation = await PostAsync("/_sandbox/faults/rotation-failure", "{\"secret\":\"securebase-prod-db-credentials\"}");
        var dashboard = await PostAsync("/_sandbox/faults/dashboard-missing", "{\"dashboard\":\"SecureBase-Phase4-Dev\"}");
        var throttling = await PostAsync("/_sandbox/faults/iam-throttling", "{\"times\":1}");
        var listed = JsonDocument.Parse(await _sandbox.Client.GetStringAsync("/_sandbox/faults")).RootElement;
        var unknownSecret = await PostAsync("/_sandbox/faults/rotation-failure", "{\"secret\":\"securebase-prod-nope\"}");
        var unknownDashboard = await PostAsync("/_sandbox/faults/dashboard-missing", "{\"dashboard\":\"SecureBase-Phase4-Staging\"}");
        var cleared = await _sandbox.Client.DeleteAsync("/_sandbox/faults");
        var dev = await _sandbox.CloudWatchAsync("GetDashboard", new { DashboardName = "SecureBase-Phase4-Dev" });

        Assert.Equal(HttpStatusCode.Created, rotation.StatusCode);
        Assert.Equal(HttpStatusCode.Created, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.Created, throttling.StatusCode);
        Assert.Equal(["dashboard-missing", "error", "rotation-failure"],
            listed.EnumerateArray().Select(f => f.GetProperty("kind").GetString()!).Where(k => k != "api-errors").Order().ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, unknownSecret.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownDashboard.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dev.Status);
    }

    [Fact]
    public async Task An_inline_policy_is_put_and_deleted_over_HTTP_and_an_unknown_role_is_404()
    {
        var put = await _sandbox.Client.PutAsync("/_sandbox/iam/roles/securebase-dev-report-engine-role/policies/extra",
            new StringContent("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"));
        var listed = await _sandbox.IamAsync("Action=ListRolePolicies&Version=2010-05-08&RoleName=securebase-dev-report-engine-role");
        var deleted = await _sandbox.Client.DeleteAsync("/_sandbox/iam/roles/securebase-dev-report-engine-role/policies/extra");
        var missing = await _sandbox.Client.DeleteAsync("/_sandbox/iam/roles/securebase-dev-nope-role/policies/extra");

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Contains("<member>extra</member>", listed.Text);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
