using Bot.Testing.Aws;
using Bot.Testing;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Lambda;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Integrations.Tests.Aws;

/// <summary>The Lambda client against a loopback endpoint answering with the botocore examples.</summary>
public sealed class LambdaClientTests : IAsyncLifetime
{
    private AwsStubServer _server = null!;
    private ServiceProvider _services = null!;
    private ILambdaClient Lambda => _services.GetRequiredService<ILambdaClient>();

    public async Task InitializeAsync()
    {
        _server = await AwsStubServer.StartAsync();
        _services = StubClients.Build(_server.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// GetFunctionConfiguration's answer (a FunctionConfiguration): the <c>Configuration</c> of botocore's GetFunction
    /// example, which is the same shape (GetFunction adds the code's download URL, which the bot does not ask for).
    /// </summary>
    private static string ConfigurationExample() =>
        System.Text.Json.Nodes.JsonNode.Parse(FixtureResponses.BotocoreOutput("aws/lambda/GetFunction.botocore-example.json"))!["Configuration"]!.ToJsonString();

    [Fact]
    public async Task GetFunctionConfiguration_sends_a_signed_GET_to_the_modelled_uri_and_reads_the_example_answer()
    {
        _server.Respond = _ => StubResponse.Json(ConfigurationExample());

        var response = await Lambda.GetFunctionConfigurationAsync("my-function", "1", default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/2015-03-31/functions/my-function/configuration?Qualifier=1", request.RawTarget);
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "lambda"));
        Assert.Contains($"Credential={StubClients.AccessKey}/", request.Header("Authorization"));
        Assert.Equal("my-function", response.FunctionName);
        Assert.Equal("Active", response.State);
        Assert.Equal("inbound", response.Environment!.Variables!["PREFIX"]);
        Assert.NotNull(response.LastModifiedTime);
    }

    [Fact]
    public void The_client_has_no_GetFunction_whose_answer_carries_a_code_download_url()
    {
        Assert.DoesNotContain(typeof(ILambdaClient).GetMethods(), m => m.Name == "GetFunctionAsync");
    }

    /// <summary>Each operation answered with a 2xx other than the one its model documents (201, 202, 204, 200).</summary>
    [Theory]
    [InlineData("PublishVersion", 200)]
    [InlineData("DeleteFunctionConcurrency", 200)]
    [InlineData("PutProvisionedConcurrencyConfig", 200)]
    [InlineData("UpdateAlias", 201)]
    [InlineData("GetFunctionConfiguration", 203)]
    public async Task Any_2xx_is_an_answer_as_botocore_takes_it(string operation, int status)
    {
        _server.Respond = _ => new StubResponse(status, operation switch
        {
            "PublishVersion" => FixtureResponses.BotocoreOutput("aws/lambda/PublishVersion.botocore-example.json"),
            "UpdateAlias" => FixtureResponses.BotocoreOutput("aws/lambda/UpdateAlias.botocore-example.json"),
            "GetFunctionConfiguration" => ConfigurationExample(),
            "PutProvisionedConcurrencyConfig" => """{"RequestedProvisionedConcurrentExecutions":5,"Status":"IN_PROGRESS"}""",
            _ => "",
        }, new Dictionary<string, string> { ["Content-Type"] = "application/json" });

        Func<Task<string?>> call = operation switch
        {
            "PublishVersion" => async () => (await Lambda.PublishVersionAsync("my-function", new PublishVersionRequest(), default)).Version,
            "DeleteFunctionConcurrency" => async () =>
            {
                await Lambda.DeleteFunctionConcurrencyAsync("my-function", default);
                return "deleted";
            }
            ,
            "PutProvisionedConcurrencyConfig" => async () => (await Lambda.PutProvisionedConcurrencyConfigAsync("my-function", "PROD", 5, default)).Status,
            "UpdateAlias" => async () => (await Lambda.UpdateAliasAsync("my-function", "BLUE", new UpdateAliasRequest { FunctionVersion = "2" }, default)).Name,
            _ => async () => (await Lambda.GetFunctionConfigurationAsync("my-function", null, default)).FunctionName,
        };

        var answer = await call();

        Assert.Equal(operation switch { "PublishVersion" => "1", "DeleteFunctionConcurrency" => "deleted", "PutProvisionedConcurrencyConfig" => "IN_PROGRESS", "UpdateAlias" => "BLUE", _ => "my-function" }, answer);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_unknown_RevisionId_is_left_out_of_the_request_not_sent_empty()
    {
        _server.Respond = r => r.Method == "POST"
            ? StubResponse.Json(FixtureResponses.BotocoreOutput("aws/lambda/PublishVersion.botocore-example.json"), 201)
            : StubResponse.Json(r.Path.EndsWith("/configuration", StringComparison.Ordinal) ? ConfigurationExample() : FixtureResponses.BotocoreOutput("aws/lambda/UpdateAlias.botocore-example.json"));

        await Lambda.UpdateAliasAsync("my-function", "BLUE", new UpdateAliasRequest { FunctionVersion = "2", RevisionId = "" }, default);
        await Lambda.PublishVersionAsync("my-function", new PublishVersionRequest { CodeSha256 = "abc=", RevisionId = "" }, default);
        await Lambda.UpdateFunctionConfigurationAsync("my-function", new UpdateFunctionConfigurationRequest { MemorySize = 256, RevisionId = "" }, default);
        await Lambda.UpdateAliasAsync("my-function", "BLUE", new UpdateAliasRequest { FunctionVersion = "2", RevisionId = "r7" }, default);

        var bodies = _server.Requests.Select(r => FixtureResponses.Json(r.BodyText)).ToList();
        Assert.All(bodies.Take(3), b => Assert.False(b.TryGetProperty("RevisionId", out _), b.ToString()));
        Assert.Equal("r7", bodies[3].GetProperty("RevisionId").GetString());
    }

    [Fact]
    public async Task An_ARN_as_function_name_is_one_encoded_path_segment_and_still_verifies()
    {
        _server.Respond = _ => StubResponse.Json(FixtureResponses.BotocoreOutput("aws/lambda/GetAlias.botocore-example.json"));

        await Lambda.GetAliasAsync("arn:aws:lambda:us-east-1:123456789012:function:my-function", "PROD", default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-function/aliases/PROD", request.Path);
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "lambda"));
    }

    [Fact]
    public async Task PublishVersion_reads_its_201_and_UpdateAlias_sends_its_json_body()
    {
        _server.Respond = r => r.Method == "POST"
            ? StubResponse.Json(FixtureResponses.BotocoreOutput("aws/lambda/PublishVersion.botocore-example.json"), 201)
            : StubResponse.Json(FixtureResponses.BotocoreOutput("aws/lambda/UpdateAlias.botocore-example.json"));

        var published = await Lambda.PublishVersionAsync("my-function", new PublishVersionRequest { Description = "v2" }, default);
        var alias = await Lambda.UpdateAliasAsync("my-function", "BLUE", new UpdateAliasRequest { FunctionVersion = published.Version, RevisionId = "r1" }, default);

        Assert.Equal("1", published.Version);
        Assert.Equal("BLUE", alias.Name);
        var put = _server.Requests[1];
        Assert.Equal("PUT", put.Method);
        Assert.Equal("/2015-03-31/functions/my-function/aliases/BLUE", put.Path);
        Assert.Equal("application/json", put.Header("Content-Type"));
        var body = FixtureResponses.Json(put.BodyText);
        Assert.Equal("1", body.GetProperty("FunctionVersion").GetString());
        Assert.Equal("r1", body.GetProperty("RevisionId").GetString());
        Assert.False(body.TryGetProperty("Description", out _));
        Assert.True(AwsStubServer.SignatureIsValid(put, StubClients.Secret, StubClients.Region, "lambda"));
    }

    [Fact]
    public async Task Concurrency_operations_use_their_own_date_prefixes()
    {
        _server.Respond = r => StubResponse.Json(r.Method == "PUT"
            ? FixtureResponses.BotocoreOutput("aws/lambda/PutFunctionConcurrency.botocore-example.json")
            : FixtureResponses.BotocoreOutput("aws/lambda/GetFunctionConcurrency.botocore-example.json"));

        var put = await Lambda.PutFunctionConcurrencyAsync("my-function", 100, default);
        var get = await Lambda.GetFunctionConcurrencyAsync("my-function", default);

        Assert.Equal("/2017-10-31/functions/my-function/concurrency", _server.Requests[0].Path);
        Assert.Equal("/2019-09-30/functions/my-function/concurrency", _server.Requests[1].Path);
        Assert.Equal(100, put.ReservedConcurrentExecutions);
        Assert.NotNull(get.ReservedConcurrentExecutions);
    }

    [Fact]
    public async Task ListVersions_follows_NextMarker_across_pages()
    {
        _server.Respond = r => r.Query.Contains("Marker=page2", StringComparison.Ordinal)
            ? StubResponse.Json("""{"Versions":[{"FunctionName":"f","Version":"2"}]}""")
            : StubResponse.Json("""{"Versions":[{"FunctionName":"f","Version":"$LATEST"},{"FunctionName":"f","Version":"1"}],"NextMarker":"page2"}""");

        var versions = await Lambda.ListVersionsByFunctionAsync("f", default);

        Assert.Equal(["$LATEST", "1", "2"], versions.Select(v => v.Version));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_missing_function_becomes_a_typed_not_found_error_with_the_AWS_code()
    {
        _server.Respond = _ => new StubResponse(404, """{"Type":"User","Message":"Function not found: arn:aws:lambda:eu-west-1:123:function:nope"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ResourceNotFoundException:http://internal.amazon.com/", ["x-amzn-RequestId"] = "req-1" });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.GetFunctionConfigurationAsync("nope", null, default));

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Equal(AwsErrorKind.NotFound, error.Kind);
        Assert.Equal("req-1", error.RequestId);
        Assert.StartsWith("Function not found", error.AwsMessage);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Throttling_and_5xx_are_retried_and_each_attempt_is_signed_afresh()
    {
        var calls = 0;
        _server.Respond = _ => Interlocked.Increment(ref calls) switch
        {
            1 => new StubResponse(429, """{"message":"Rate exceeded"}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "TooManyRequestsException" }),
            2 => new StubResponse(503, "{}"),
            _ => StubResponse.Json(ConfigurationExample()),
        };

        var response = await Lambda.GetFunctionConfigurationAsync("my-function", null, default);

        Assert.Equal("my-function", response.FunctionName);
        Assert.Equal(3, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.True(AwsStubServer.SignatureIsValid(r, StubClients.Secret, StubClients.Region, "lambda")));
        Assert.All(_server.Requests, r => Assert.Single(r.Headers, h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Access_denied_is_not_retried()
    {
        _server.Respond = _ => new StubResponse(403, """{"Message":"User is not authorized to perform: lambda:GetFunctionConfiguration"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "AccessDeniedException" });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.GetFunctionConfigurationAsync("f", null, default));

        Assert.Equal(AwsErrorKind.AccessDenied, error.Kind);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task UpdateFunctionConfiguration_puts_only_the_changed_settings()
    {
        _server.Respond = _ => StubResponse.Json(FixtureResponses.BotocoreOutput("aws/lambda/UpdateFunctionConfiguration.botocore-example.json"));

        var updated = await Lambda.UpdateFunctionConfigurationAsync("my-function", new UpdateFunctionConfigurationRequest { MemorySize = 256 }, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/2015-03-31/functions/my-function/configuration", request.Path);
        Assert.Equal("""{"MemorySize":256}""", request.BodyText);
        Assert.Equal(256, updated.MemorySize);
    }

    [Fact]
    public async Task Invoke_posts_the_payload_with_its_headers_and_reads_the_answer_from_status_headers_and_body()
    {
        _server.Respond = _ => new StubResponse(200, """{"errorType":"TypeError"}""", new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["X-Amz-Function-Error"] = "Unhandled",
            ["X-Amz-Executed-Version"] = "8",
            ["X-Amz-Log-Result"] = Convert.ToBase64String("START RequestId: r\nEND RequestId: r\n"u8.ToArray()),
        });

        var answer = await Lambda.InvokeAsync("my-function", new InvokeRequest { Qualifier = "PROD", Payload = """{"a":1}""", TailLog = true }, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/2015-03-31/functions/my-function/invocations?Qualifier=PROD", request.RawTarget);
        Assert.Equal("Tail", request.Header("X-Amz-Log-Type"));
        Assert.Equal("RequestResponse", request.Header("X-Amz-Invocation-Type"));
        Assert.Equal("""{"a":1}""", request.BodyText);
        Assert.True(AwsStubServer.SignatureIsValid(request, StubClients.Secret, StubClients.Region, "lambda"));
        Assert.Equal((200, "Unhandled", "8"), (answer.StatusCode, answer.FunctionError, answer.ExecutedVersion));
        Assert.Equal("START RequestId: r\nEND RequestId: r\n", answer.LogTail);
        Assert.Equal("""{"errorType":"TypeError"}""", answer.Payload);
    }

    [Fact]
    public async Task An_invocation_that_failed_on_Lambdas_side_is_not_run_again()
    {
        _server.Respond = _ => new StubResponse(500, """{"Type":"Service","Message":"boom"}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ServiceException" });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.InvokeAsync("f", new InvokeRequest(), default));

        Assert.Equal(AwsErrorKind.ServiceUnavailable, error.Kind);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_throttled_invocation_did_not_run_and_is_retried()
    {
        var calls = 0;
        _server.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? new StubResponse(429, """{"Type":"User","message":"Rate Exceeded.","Reason":"CallerRateLimitExceeded"}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "TooManyRequestsException" })
            : StubResponse.Json("""{"ok":true}""");

        var answer = await Lambda.InvokeAsync("f", new InvokeRequest(), default);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("""{"ok":true}""", answer.Payload);
        Assert.Null(answer.LogTail);
    }

    [Fact]
    public async Task Provisioned_concurrency_goes_to_the_2019_path_with_the_qualifier_and_expects_202()
    {
        _server.Respond = r => r.Method switch
        {
            "PUT" => StubResponse.Json("""{"RequestedProvisionedConcurrentExecutions":10,"Status":"IN_PROGRESS"}""", 202),
            "DELETE" => new StubResponse(204, ""),
            _ => StubResponse.Json("""{"RequestedProvisionedConcurrentExecutions":10,"AllocatedProvisionedConcurrentExecutions":10,"Status":"READY"}"""),
        };

        var put = await Lambda.PutProvisionedConcurrencyConfigAsync("f", "PROD", 10, default);
        var get = await Lambda.GetProvisionedConcurrencyConfigAsync("f", "PROD", default);
        await Lambda.DeleteProvisionedConcurrencyConfigAsync("f", "PROD", default);
        await Lambda.DeleteFunctionConcurrencyAsync("f", default);

        Assert.All(_server.Requests.Take(3), r => Assert.Equal("/2019-09-30/functions/f/provisioned-concurrency?Qualifier=PROD", r.RawTarget));
        Assert.Equal("""{"ProvisionedConcurrentExecutions":10}""", _server.Requests[0].BodyText);
        Assert.Equal(("DELETE", "/2017-10-31/functions/f/concurrency"), (_server.Requests[3].Method, _server.Requests[3].Path));
        Assert.Equal("IN_PROGRESS", put.Status);
        Assert.Equal("READY", get.Status);
    }

    [Fact]
    public async Task GetFunctionConfiguration_reads_a_qualified_configuration()
    {
        // GetFunctionConfiguration answers a FunctionConfiguration, as PublishVersion does.
        _server.Respond = _ => StubResponse.Json(FixtureResponses.BotocoreOutput("aws/lambda/PublishVersion.botocore-example.json"));

        var config = await Lambda.GetFunctionConfigurationAsync("my-function", "PROD", default);

        Assert.Equal("/2015-03-31/functions/my-function/configuration?Qualifier=PROD", Assert.Single(_server.Requests).RawTarget);
        Assert.False(string.IsNullOrEmpty(config.CodeSha256));
        Assert.False(string.IsNullOrEmpty(config.RevisionId));
        Assert.Equal("Successful", config.LastUpdateStatus);
    }
}
