using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>Releases in the sandbox: the same code has the same hash everywhere, and staging runs the next release first.</summary>
public sealed class LambdaReleaseSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<JsonElement> Configuration(string function, string? qualifier = null) =>
        (await _sandbox.LambdaAsync(HttpMethod.Get, $"/2015-03-31/functions/{function}/configuration" + (qualifier is null ? "" : "?Qualifier=" + qualifier))).Body;

    [Theory]
    [InlineData("user-management")]
    [InlineData("session-management")]
    [InlineData("report-engine")]
    public async Task Prods_unpublished_release_is_what_staging_PROD_already_runs_with_the_same_CodeSha256(string suffix)
    {
        var prodLatest = await Configuration($"securebase-prod-{suffix}");
        var prodLive = await Configuration($"securebase-prod-{suffix}", "PROD");
        var stagingLive = await Configuration($"securebase-staging-{suffix}", "PROD");

        Assert.Equal(prodLatest.GetProperty("CodeSha256").GetString(), stagingLive.GetProperty("CodeSha256").GetString());
        Assert.Equal(prodLatest.GetProperty("Description").GetString(), stagingLive.GetProperty("Description").GetString());
        Assert.NotEqual(prodLive.GetProperty("CodeSha256").GetString(), stagingLive.GetProperty("CodeSha256").GetString());
        Assert.Matches($@"^securebase-{suffix} 1\.\d+\.0$", prodLatest.GetProperty("Description").GetString());
    }

    [Fact]
    public async Task Every_environment_gives_each_release_one_hash_and_each_hash_one_release()
    {
        var releases = new Dictionary<string, string>();
        foreach (var env in new[] { "prod", "staging", "dev" })
        {
            var versions = await _sandbox.LambdaAsync(HttpMethod.Get, $"/2015-03-31/functions/securebase-{env}-user-management/versions");
            foreach (var v in versions.Body.GetProperty("Versions").EnumerateArray())
            {
                var description = v.GetProperty("Description").GetString()!;
                var sha = v.GetProperty("CodeSha256").GetString()!;
                Assert.Equal(releases.GetValueOrDefault(description, sha), sha);
                releases[description] = sha;
            }
        }

        Assert.Equal(releases.Count, releases.Values.Distinct().Count());
        Assert.Contains("securebase-user-management 1.8.0", releases.Keys);
        Assert.Equal(10, releases.Count); // 1.1.0 to 1.10.0 (dev's $LATEST)
    }

    [Fact]
    public async Task The_release_in_prods_LATEST_is_published_with_its_description_and_hash()
    {
        var latest = await Configuration("securebase-prod-user-management");

        var published = await _sandbox.LambdaAsync(HttpMethod.Post, "/2015-03-31/functions/securebase-prod-user-management/versions",
            new { CodeSha256 = latest.GetProperty("CodeSha256").GetString(), RevisionId = latest.GetProperty("RevisionId").GetString() });

        Assert.Equal(HttpStatusCode.Created, published.Status);
        Assert.Equal("securebase-user-management 1.8.0", published.Body.GetProperty("Description").GetString());
        Assert.Equal(latest.GetProperty("CodeSha256").GetString(), published.Body.GetProperty("CodeSha256").GetString());
        Assert.Equal("8", published.Body.GetProperty("Version").GetString());
    }

    [Fact]
    public async Task An_uploaded_release_matches_the_same_release_elsewhere_and_not_what_staging_runs()
    {
        using var upload = await _sandbox.Client.PostAsync("/_sandbox/functions/securebase-prod-user-management/code", null);
        var uploaded = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var stagingLatest = await Configuration("securebase-staging-user-management");
        var stagingLive = await Configuration("securebase-staging-user-management", "PROD");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("1.9.0", uploaded.GetProperty("release").GetString());
        Assert.Equal(stagingLatest.GetProperty("CodeSha256").GetString(), uploaded.GetProperty("codeSha256").GetString());
        Assert.NotEqual(stagingLive.GetProperty("CodeSha256").GetString(), uploaded.GetProperty("codeSha256").GetString());
    }

    [Fact]
    public async Task A_named_release_can_be_uploaded_and_a_malformed_one_is_refused()
    {
        using var named = await _sandbox.Client.PostAsJsonAsync("/_sandbox/functions/securebase-dev-report-engine/code", new { release = "1.7.0" });
        using var bad = await _sandbox.Client.PostAsJsonAsync("/_sandbox/functions/securebase-dev-report-engine/code", new { release = "latest" });
        var devLatest = await Configuration("securebase-dev-report-engine");
        var stagingLatest = await Configuration("securebase-staging-report-engine");

        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("securebase-report-engine 1.7.0", devLatest.GetProperty("Description").GetString());
        Assert.Equal(stagingLatest.GetProperty("CodeSha256").GetString(), devLatest.GetProperty("CodeSha256").GetString());
    }

    [Fact]
    public async Task PublishVersion_refuses_a_CodeSha256_that_is_not_in_LATEST_and_a_stale_RevisionId()
    {
        const string fn = "/2015-03-31/functions/securebase-prod-user-management/versions";
        var staleRevision = (await Configuration("securebase-prod-user-management")).GetProperty("RevisionId").GetString();
        _sandbox.Account.UploadCode("securebase-prod-user-management");
        var wrongSha = await _sandbox.LambdaAsync(HttpMethod.Post, fn, new { CodeSha256 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" });
        var stale = await _sandbox.LambdaAsync(HttpMethod.Post, fn, new { RevisionId = staleRevision });

        Assert.Equal(HttpStatusCode.BadRequest, wrongSha.Status);
        Assert.Equal("InvalidParameterValueException", wrongSha.Header("x-amzn-ErrorType"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal("PreconditionFailedException", stale.Header("x-amzn-ErrorType"));
        Assert.Equal(7, _sandbox.Account.Function("securebase-prod-user-management")!.Versions.Count);
    }

    [Fact]
    public async Task Every_alias_update_gives_a_new_RevisionId_and_the_old_one_no_longer_moves_the_alias()
    {
        const string alias = "/2015-03-31/functions/securebase-prod-user-management/aliases/PROD";
        var first = (await _sandbox.LambdaAsync(HttpMethod.Get, alias)).Body.GetProperty("RevisionId").GetString();

        var moved = await _sandbox.LambdaAsync(HttpMethod.Put, alias, new { FunctionVersion = "6", RevisionId = first });
        var again = await _sandbox.LambdaAsync(HttpMethod.Put, alias, new { FunctionVersion = "7", RevisionId = first });
        var now = await _sandbox.LambdaAsync(HttpMethod.Get, alias);

        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.NotEqual(first, moved.Body.GetProperty("RevisionId").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.Status);
        Assert.Contains("Revision Id", again.Body.GetProperty("message").GetString());
        Assert.Equal("6", now.Body.GetProperty("FunctionVersion").GetString());
        Assert.Equal(moved.Body.GetProperty("RevisionId").GetString(), now.Body.GetProperty("RevisionId").GetString());
    }

    [Fact]
    public async Task UpdateFunctionConfiguration_with_a_stale_RevisionId_is_412_and_changes_nothing()
    {
        var before = _sandbox.Account.Function("securebase-prod-user-management")!.Latest;

        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, "/2015-03-31/functions/securebase-prod-user-management/configuration",
            new { MemorySize = 1024, RevisionId = "00000000-0000-0000-0000-000000000000" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, answer.Status);
        Assert.Same(before, _sandbox.Account.Function("securebase-prod-user-management")!.Latest);
    }
}
