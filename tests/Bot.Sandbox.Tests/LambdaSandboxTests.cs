using System.Net;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

public sealed class LambdaSandboxTests : IAsyncLifetime
{
    private const string Users = "securebase-prod-user-management";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private Task<AwsAnswer> Get(string path) => _sandbox.LambdaAsync(HttpMethod.Get, path);

    [Fact]
    public async Task GetFunction_answers_with_the_modeled_members()
    {
        var answer = await Get($"/2015-03-31/functions/{Users}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AwsShapes.AssertMatches("lambda", "GetFunctionResponse", answer.Body);
        var config = answer.Body.GetProperty("Configuration");
        Assert.Equal("$LATEST", config.GetProperty("Version").GetString());
        Assert.Equal("Active", config.GetProperty("State").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", config.GetProperty("LastModified").GetString());
        Assert.Equal("prod", config.GetProperty("Environment").GetProperty("Variables").GetProperty("STAGE").GetString());
    }

    [Fact]
    public async Task GetFunction_with_the_PROD_alias_gives_the_version_behind_it()
    {
        var alias = await Get($"/2015-03-31/functions/{Users}/aliases/PROD");
        var answer = await Get($"/2015-03-31/functions/{Users}?Qualifier=PROD");

        var config = answer.Body.GetProperty("Configuration");
        Assert.Equal(alias.Body.GetProperty("FunctionVersion").GetString(), config.GetProperty("Version").GetString());
        Assert.EndsWith(":PROD", config.GetProperty("FunctionArn").GetString());
    }

    [Fact]
    public async Task An_ARN_in_the_path_names_the_function()
    {
        var arn = Uri.EscapeDataString($"arn:aws:lambda:us-east-1:123456789012:function:{Users}");

        var answer = await Get($"/2015-03-31/functions/{arn}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(Users, answer.Body.GetProperty("Configuration").GetProperty("FunctionName").GetString());
    }

    [Fact]
    public async Task An_unknown_function_is_a_404_ResourceNotFoundException_with_the_error_type_header()
    {
        var answer = await Get("/2015-03-31/functions/securebase-prod-nope");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("ResourceNotFoundException", answer.Header("x-amzn-ErrorType"));
        Assert.Equal("User", answer.Body.GetProperty("Type").GetString());
        Assert.Contains("function:securebase-prod-nope", answer.Body.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task ListVersionsByFunction_pages_with_markers_through_every_version()
    {
        var seen = new List<string>();
        string? marker = null;
        do
        {
            var answer = await Get($"/2015-03-31/functions/{Users}/versions?MaxItems=3" + (marker is null ? "" : "&Marker=" + Uri.EscapeDataString(marker)));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            AwsShapes.AssertMatches("lambda", "ListVersionsByFunctionResponse", answer.Body);
            seen.AddRange(answer.Body.GetProperty("Versions").EnumerateArray().Select(v => v.GetProperty("Version").GetString()!));
            marker = answer.Body.TryGetProperty("NextMarker", out var m) ? m.GetString() : null;
        } while (marker is not null);

        var published = _sandbox.Account.Function(Users)!.Versions.Count;
        var expected = new List<string> { "$LATEST" };
        expected.AddRange(Enumerable.Range(1, published).Select(i => i.ToString()));
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task A_bad_MaxItems_or_marker_is_InvalidParameterValueException()
    {
        var badMax = await Get($"/2015-03-31/functions/{Users}/versions?MaxItems=0");
        var badMarker = await Get($"/2015-03-31/functions/{Users}/versions?Marker=garbage");

        Assert.Equal(HttpStatusCode.BadRequest, badMax.Status);
        Assert.Equal("InvalidParameterValueException", badMax.Header("x-amzn-ErrorType"));
        Assert.Equal("InvalidParameterValueException", badMarker.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task PublishVersion_then_UpdateAlias_moves_PROD_to_the_new_version()
    {
        var before = (await Get($"/2015-03-31/functions/{Users}/aliases/PROD")).Body.GetProperty("FunctionVersion").GetString()!;

        var published = await _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { Description = "release 1.9.0" });
        Assert.Equal(HttpStatusCode.Created, published.Status);
        AwsShapes.AssertMatches("lambda", "FunctionConfiguration", published.Body);
        var version = published.Body.GetProperty("Version").GetString()!;
        Assert.Equal(int.Parse(before) + 1, int.Parse(version));

        var updated = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD", new { FunctionVersion = version });
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        AwsShapes.AssertMatches("lambda", "AliasConfiguration", updated.Body);

        var alias = await Get($"/2015-03-31/functions/{Users}/aliases/PROD");
        Assert.Equal(version, alias.Body.GetProperty("FunctionVersion").GetString());
        Assert.Equal(updated.Body.GetProperty("RevisionId").GetString(), alias.Body.GetProperty("RevisionId").GetString());

        var rollback = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD", new { FunctionVersion = before });
        Assert.Equal(before, rollback.Body.GetProperty("FunctionVersion").GetString());
    }

    [Fact]
    public async Task Publishing_twice_without_changes_returns_the_same_version()
    {
        var first = await _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { });
        var second = await _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { });

        Assert.Equal(first.Body.GetProperty("Version").GetString(), second.Body.GetProperty("Version").GetString());
    }

    [Fact]
    public async Task UpdateAlias_with_RoutingConfig_splits_traffic_and_reports_the_weights()
    {
        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD",
            new { FunctionVersion = "7", RoutingConfig = new { AdditionalVersionWeights = new Dictionary<string, double> { ["6"] = 0.1 } } });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0.1, answer.Body.GetProperty("RoutingConfig").GetProperty("AdditionalVersionWeights").GetProperty("6").GetDouble());
        var routing = _sandbox.Account.Function(Users)!.Aliases["PROD"].Current;
        Assert.Equal(("7", "6", 0.1), (routing.Version, routing.AdditionalVersion, routing.AdditionalWeight));
    }

    [Fact]
    public async Task UpdateAlias_to_a_version_that_does_not_exist_is_a_404_and_changes_nothing()
    {
        var before = _sandbox.Account.Function(Users)!.Aliases["PROD"].Current;

        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD", new { FunctionVersion = "99" });

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("ResourceNotFoundException", answer.Header("x-amzn-ErrorType"));
        Assert.Same(before, _sandbox.Account.Function(Users)!.Aliases["PROD"].Current);
    }

    [Fact]
    public async Task A_stale_RevisionId_is_a_412_PreconditionFailedException()
    {
        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD",
            new { FunctionVersion = "5", RevisionId = "00000000-0000-0000-0000-000000000000" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, answer.Status);
        Assert.Equal("PreconditionFailedException", answer.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task An_unknown_alias_is_a_404()
    {
        var answer = await Get($"/2015-03-31/functions/{Users}/aliases/BLUE");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Contains("Alias not found", answer.Body.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task UpdateFunctionConfiguration_replaces_the_environment_and_the_next_version_carries_it()
    {
        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/configuration",
            new { Environment = new { Variables = new Dictionary<string, string> { ["STAGE"] = "prod", ["FEATURE_BULK_INVITES"] = "on" } }, MemorySize = 1024 });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AwsShapes.AssertMatches("lambda", "FunctionConfiguration", answer.Body);
        var latest = (await Get($"/2015-03-31/functions/{Users}")).Body.GetProperty("Configuration");
        Assert.Equal(1024, latest.GetProperty("MemorySize").GetInt32());
        var variables = latest.GetProperty("Environment").GetProperty("Variables");
        Assert.Equal(new[] { "FEATURE_BULK_INVITES", "STAGE" }, variables.EnumerateObject().Select(p => p.Name).Order());

        var published = await _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { });
        Assert.Equal("on", published.Body.GetProperty("Environment").GetProperty("Variables").GetProperty("FEATURE_BULK_INVITES").GetString());
    }

    [Fact]
    public async Task A_memory_size_out_of_range_is_rejected_and_changes_nothing()
    {
        var before = _sandbox.Account.Function(Users)!.Latest;

        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/configuration", new { MemorySize = 64 });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidParameterValueException", answer.Header("x-amzn-ErrorType"));
        Assert.Same(before, _sandbox.Account.Function(Users)!.Latest);
    }

    [Fact]
    public async Task Concurrency_is_put_on_the_2017_path_and_read_on_the_2019_path()
    {
        var put = await _sandbox.LambdaAsync(HttpMethod.Put, "/2017-10-31/functions/securebase-prod-report-engine/concurrency", new { ReservedConcurrentExecutions = 25 });
        var get = await Get("/2019-09-30/functions/securebase-prod-report-engine/concurrency");
        var none = await Get("/2019-09-30/functions/securebase-dev-report-engine/concurrency");

        AwsShapes.AssertMatches("lambda", "Concurrency", put.Body);
        Assert.Equal(25, get.Body.GetProperty("ReservedConcurrentExecutions").GetInt32());
        AwsShapes.AssertMatches("lambda", "GetFunctionConcurrencyResponse", get.Body);
        Assert.Equal(JsonValueKind.Object, none.Body.ValueKind);
        Assert.False(none.Body.TryGetProperty("ReservedConcurrentExecutions", out _));
    }

    [Fact]
    public async Task An_unmodeled_path_is_a_404_UnknownOperationException()
    {
        var answer = await Get("/2017-10-31/functions/securebase-prod-report-engine/concurrency");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("UnknownOperationException", answer.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task ListFunctions_pages_through_the_nine_functions()
    {
        var names = new List<string>();
        string? marker = null;
        do
        {
            var answer = await Get("/2015-03-31/functions/?MaxItems=4" + (marker is null ? "" : "&Marker=" + Uri.EscapeDataString(marker)));
            names.AddRange(answer.Body.GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()!));
            marker = answer.Body.TryGetProperty("NextMarker", out var m) ? m.GetString() : null;
        } while (marker is not null);

        Assert.Equal(9, names.Distinct().Count());
        Assert.Contains("securebase-staging-report-engine", names);
    }

    [Fact]
    public async Task ListAliases_and_GetFunctionConfiguration_see_the_PROD_alias()
    {
        var aliases = await Get($"/2015-03-31/functions/{Users}/aliases");
        var prod = Assert.Single(aliases.Body.GetProperty("Aliases").EnumerateArray());
        var config = await Get($"/2015-03-31/functions/{Users}/configuration?Qualifier=PROD");

        Assert.Equal("PROD", prod.GetProperty("Name").GetString());
        AwsShapes.AssertMatches("lambda", "FunctionConfiguration", config.Body);
        Assert.Equal(prod.GetProperty("FunctionVersion").GetString(), config.Body.GetProperty("Version").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_InvalidRequestContentException()
    {
        var answer = await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/configuration", new { MemorySize = "big" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidRequestContentException", answer.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task Reserving_zero_concurrency_throttles_every_invocation_until_the_reservation_is_deleted()
    {
        const string fn = "securebase-prod-report-engine";
        await _sandbox.LambdaAsync(HttpMethod.Put, $"/2017-10-31/functions/{fn}/concurrency", new { ReservedConcurrentExecutions = 0 });
        _sandbox.Time.Advance(TimeSpan.FromMinutes(6));

        var alarms = await _sandbox.CloudWatchAsync("DescribeAlarms", new { AlarmNames = new[] { fn + "-throttles" } });
        var deleted = await _sandbox.LambdaAsync(HttpMethod.Delete, $"/2017-10-31/functions/{fn}/concurrency");
        var after = await Get($"/2019-09-30/functions/{fn}/concurrency");

        Assert.Equal("ALARM", alarms.Body.GetProperty("MetricAlarms")[0].GetProperty("StateValue").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.False(after.Body.TryGetProperty("ReservedConcurrentExecutions", out _));
        Assert.Null(_sandbox.Account.Function(fn)!.ReservedConcurrency);
    }

    [Fact]
    public async Task Concurrent_uploads_and_publishes_number_versions_without_gaps_or_repeats()
    {
        var account = _sandbox.Account;
        var before = account.Function(Users)!.Versions.Count;

        var published = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
        {
            account.UploadCode(Users);
            return account.PublishVersion(Users).Version;
        })));

        var numbers = account.Function(Users)!.Versions.Select(v => int.Parse(v.Version)).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
        Assert.InRange(numbers.Count, before + 1, before + 40);
        Assert.All(published, v => Assert.InRange(int.Parse(v), before + 1, numbers.Count));
    }

    [Fact]
    public async Task GetFunction_carries_secrets_the_bot_must_not_print()
    {
        var answer = await Get($"/2015-03-31/functions/{Users}");

        var variables = answer.Body.GetProperty("Configuration").GetProperty("Environment").GetProperty("Variables");
        Assert.StartsWith("sb-prod-", variables.GetProperty("INVITE_SMTP_PASSWORD").GetString());
        Assert.Matches(@"X-Amz-Credential=ASIA[0-9A-F]{16}%2F\d{8}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=[0-9a-f]{64}$",
            answer.Body.GetProperty("Code").GetProperty("Location").GetString());
    }

    [Fact]
    public async Task While_an_update_settles_the_function_is_InProgress_and_publishing_conflicts()
    {
        await using var slow = await SandboxHttp.StartAsync(o => o.LambdaUpdateDuration = TimeSpan.FromSeconds(5));
        await slow.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/configuration", new { Timeout = 45 });

        var settling = await slow.LambdaAsync(HttpMethod.Get, $"/2015-03-31/functions/{Users}/configuration");
        var early = await slow.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { });
        slow.Time.Advance(TimeSpan.FromSeconds(5));
        var settled = await slow.LambdaAsync(HttpMethod.Get, $"/2015-03-31/functions/{Users}/configuration");
        var published = await slow.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { });

        Assert.Equal("InProgress", settling.Body.GetProperty("LastUpdateStatus").GetString());
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("ResourceConflictException", early.Header("x-amzn-ErrorType"));
        Assert.Equal("Successful", settled.Body.GetProperty("LastUpdateStatus").GetString());
        Assert.Equal(HttpStatusCode.Created, published.Status);
        Assert.Equal(45, published.Body.GetProperty("Timeout").GetInt32());
    }
}
