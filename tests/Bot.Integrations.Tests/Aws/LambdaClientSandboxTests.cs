using Bot.Testing.Aws;
using Bot.Testing;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Lambda;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>
/// The Lambda client against the sandbox account over real HTTP with SigV4: the calls the change workflow
/// makes, with their revision preconditions, and the errors it must put into words. The account and the
/// waiter run on a fake clock; the HTTP client keeps the real one for its retry delays (so the sandbox does
/// not check the signing time).
/// </summary>
public sealed class LambdaClientSandboxTests : IAsyncLifetime
{
    private const string Prod = "securebase-prod-user-management";
    private const string Staging = "securebase-staging-user-management";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 14, 7, 30, TimeSpan.Zero));
    private SandboxServer _sandbox = null!;
    private ServiceProvider _services = null!;
    private ILambdaClient Lambda => _services.GetRequiredService<ILambdaClient>();

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { LambdaUpdateDuration = TimeSpan.FromSeconds(20), ClockSkewTolerance = null }, _time);
        _services = Clients(_sandbox.Account.Options.AccessKeyId);
    }

    private ServiceProvider Clients(string accessKey) => StubClients.Build(_sandbox.BaseAddress, null, new Dictionary<string, string?>
    {
        ["Aws:Region"] = _sandbox.Account.Options.Region,
        ["Aws:AccessKeyId"] = accessKey,
        ["Aws:MaxRetries"] = "1",
    });

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task PROD_moves_only_while_it_still_points_where_the_card_said()
    {
        var card = await Lambda.GetAliasAsync(Prod, "PROD", default);

        var moved = await Lambda.UpdateAliasAsync(Prod, "PROD", new UpdateAliasRequest { FunctionVersion = "6", RevisionId = card.RevisionId }, default);
        var stale = await Assert.ThrowsAsync<AwsServiceException>(() =>
            Lambda.UpdateAliasAsync(Prod, "PROD", new UpdateAliasRequest { FunctionVersion = "5", RevisionId = card.RevisionId }, default));

        Assert.Equal("7", card.FunctionVersion);
        Assert.Equal("6", moved.FunctionVersion);
        Assert.NotEqual(card.RevisionId, moved.RevisionId);
        Assert.Equal(AwsErrorKind.PreconditionFailed, stale.Kind);
        Assert.Equal("PreconditionFailedException", stale.Code);
        Assert.Contains("changed since it was read", LambdaErrors.Explain(stale));
        Assert.Equal("6", (await Lambda.GetAliasAsync(Prod, "PROD", default)).FunctionVersion);
    }

    [Fact]
    public async Task The_release_staging_runs_is_published_in_prod_only_with_the_hash_that_was_approved()
    {
        var stagingLive = await Lambda.GetFunctionConfigurationAsync(Staging, "PROD", default);
        var prodLatest = await Lambda.GetFunctionConfigurationAsync(Prod, null, default);

        var published = await Lambda.PublishVersionAsync(Prod, new PublishVersionRequest
        {
            CodeSha256 = prodLatest.CodeSha256, RevisionId = prodLatest.RevisionId, Description = prodLatest.Description,
        }, default);
        var versions = await Lambda.ListVersionsByFunctionAsync(Prod, default);

        Assert.Equal(stagingLive.CodeSha256, published.CodeSha256);
        Assert.Equal("securebase-user-management 1.8.0", published.Description);
        Assert.Equal("8", published.Version);
        var listed = versions.Single(v => v.Version == "8");
        Assert.Equal((published.CodeSha256, published.Description), (listed.CodeSha256, listed.Description));
        Assert.All(versions, v => Assert.False(string.IsNullOrEmpty(v.CodeSha256)));
    }

    [Fact]
    public async Task Publishing_code_other_than_the_approved_hash_is_refused_as_an_invalid_parameter()
    {
        var approved = await Lambda.GetFunctionConfigurationAsync(Prod, null, default);
        _sandbox.Account.UploadCode(Prod);
        _time.Advance(TimeSpan.FromSeconds(20)); // the upload settles

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            Lambda.PublishVersionAsync(Prod, new PublishVersionRequest { CodeSha256 = approved.CodeSha256 }, default));

        Assert.Equal(AwsErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("InvalidParameterValueException", error.Code);
        Assert.Contains("CodeSHA256", error.AwsMessage);
    }

    [Fact]
    public async Task A_configuration_change_with_its_RevisionId_settles_and_the_waiter_sees_it_Successful()
    {
        var before = await Lambda.GetFunctionConfigurationAsync(Prod, null, default);

        var updated = await Lambda.UpdateFunctionConfigurationAsync(Prod, new UpdateFunctionConfigurationRequest
        {
            MemorySize = 1024, Timeout = 45, RevisionId = before.RevisionId,
            Environment = new FunctionEnvironment { Variables = new Dictionary<string, string>(before.Environment!.Variables!) { ["FEATURE_X"] = "on" } },
        }, default);
        var conflict = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.PublishVersionAsync(Prod, new PublishVersionRequest(), default));
        var waiting = Lambda.WaitForUpdateAsync(Prod, _time, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
        while (!waiting.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(waiting, Task.Delay(20));
        }
        var settled = await waiting;

        Assert.Equal("InProgress", updated.LastUpdateStatus);
        Assert.Equal(AwsErrorKind.Conflict, conflict.Kind);
        Assert.Equal("Successful", settled.LastUpdateStatus);
        Assert.Equal((1024, 45, "on"), (settled.MemorySize, settled.Timeout, settled.Environment!.Variables!["FEATURE_X"]));
        Assert.Equal(updated.RevisionId, settled.RevisionId);
    }

    [Fact]
    public async Task The_waiter_gives_up_with_the_status_when_an_update_does_not_settle_in_time()
    {
        await Lambda.UpdateFunctionConfigurationAsync(Prod, new UpdateFunctionConfigurationRequest { Timeout = 40 }, default);

        var waiting = Lambda.WaitForUpdateAsync(Prod, _time, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        while (!waiting.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(waiting, Task.Delay(20));
        }

        var error = await Assert.ThrowsAsync<LambdaUpdateFailedException>(() => waiting);
        Assert.Equal("InProgress", error.Status);
    }

    [Fact]
    public async Task A_stale_configuration_revision_is_a_precondition_failure()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.UpdateFunctionConfigurationAsync(Prod,
            new UpdateFunctionConfigurationRequest { MemorySize = 256, RevisionId = "11111111-1111-4111-8111-111111111111" }, default));

        Assert.Equal(AwsErrorKind.PreconditionFailed, error.Kind);
    }

    [Fact]
    public async Task Reserved_and_provisioned_concurrency_are_set_read_and_removed()
    {
        var reserved = await Lambda.PutFunctionConcurrencyAsync(Prod, 150, default);
        var provisioned = await Lambda.PutProvisionedConcurrencyConfigAsync(Prod, "PROD", 25, default);
        var read = await Lambda.GetProvisionedConcurrencyConfigAsync(Prod, "PROD", default);
        await Lambda.DeleteProvisionedConcurrencyConfigAsync(Prod, "PROD", default);
        await Lambda.DeleteFunctionConcurrencyAsync(Prod, default);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.GetProvisionedConcurrencyConfigAsync(Prod, "PROD", default));
        var unreserved = await Lambda.GetFunctionConcurrencyAsync(Prod, default);

        Assert.Equal(150, reserved.ReservedConcurrentExecutions);
        Assert.Equal(("IN_PROGRESS", 25), (provisioned.Status, provisioned.RequestedProvisionedConcurrentExecutions));
        Assert.Equal(("READY", 25), (read.Status, read.AllocatedProvisionedConcurrentExecutions));
        Assert.Equal(AwsErrorKind.NotFound, gone.Kind);
        Assert.Equal(LambdaMissingKind.ProvisionedConcurrency, LambdaErrors.Missing(gone)!.Kind);
        Assert.Null(unreserved.ReservedConcurrentExecutions);
    }

    [Fact]
    public async Task Invoke_returns_the_status_the_executed_version_the_payload_and_the_log_tail()
    {
        var answer = await Lambda.InvokeAsync(Staging, new InvokeRequest { Qualifier = "PROD", Payload = """{"path":"/health"}""", TailLog = true }, default);

        Assert.Equal(200, answer.StatusCode);
        Assert.Null(answer.FunctionError);
        Assert.Equal("8", answer.ExecutedVersion);
        Assert.Contains("\"statusCode\":200", answer.Payload);
        Assert.StartsWith("START RequestId: ", answer.LogTail);
        Assert.Contains("REPORT RequestId: ", answer.LogTail);
    }

    [Fact]
    public async Task A_failing_function_is_a_function_error_not_an_exception()
    {
        _sandbox.Account.Faults.FunctionErrors(Staging, 1.0);

        var answer = await Lambda.InvokeAsync(Staging, new InvokeRequest { Qualifier = "PROD", TailLog = true }, default);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("Unhandled", answer.FunctionError);
        Assert.Contains("\"errorType\":\"TypeError\"", answer.Payload);
        Assert.Contains("\tERROR\t", answer.LogTail);
    }

    [Theory]
    [InlineData("securebase-prod-nope", null, LambdaMissingKind.Function, "there is no function `securebase-prod-nope`")]
    [InlineData(Prod, "99", LambdaMissingKind.Version, "`securebase-prod-user-management` has no version 99")]
    [InlineData(Prod, "BLUE", LambdaMissingKind.Alias, "`securebase-prod-user-management` has no alias `BLUE`")]
    public async Task A_missing_function_version_or_alias_is_named_in_words(string function, string? qualifier, LambdaMissingKind kind, string words)
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.GetFunctionConfigurationAsync(function, qualifier, default));

        Assert.Equal(AwsErrorKind.NotFound, error.Kind);
        Assert.Equal(kind, LambdaErrors.Missing(error)!.Kind);
        Assert.Equal(words, LambdaErrors.Explain(error));
    }

    [Fact]
    public async Task A_missing_alias_named_to_GetAlias_is_an_alias()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Lambda.GetAliasAsync(Prod, "BLUE", default));

        Assert.Equal(new LambdaMissing(LambdaMissingKind.Alias, Prod, "BLUE"), LambdaErrors.Missing(error));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_and_denied_access_are_typed_with_their_details()
    {
        _sandbox.Account.Faults.Error("UpdateAlias", "TooManyRequestsException", 429, "Rate exceeded");
        var throttled = await Assert.ThrowsAsync<AwsServiceException>(() =>
            Lambda.UpdateAliasAsync(Prod, "PROD", new UpdateAliasRequest { FunctionVersion = "6" }, default));
        await using var denied = Clients(_sandbox.Account.Options.DeniedAccessKeyId);
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() =>
            denied.GetRequiredService<ILambdaClient>().InvokeAsync(Staging, new InvokeRequest(), default));

        Assert.Equal(AwsErrorKind.Throttled, throttled.Kind);
        Assert.Equal("7", _sandbox.Account.Function(Prod)!.Aliases["PROD"].Current.Version);
        Assert.Equal(AwsErrorKind.AccessDenied, refused.Kind);
        Assert.Equal("lambda:InvokeFunction", refused.IamAction);
        Assert.Contains("lambda:InvokeFunction", LambdaErrors.Explain(refused));
    }
}
