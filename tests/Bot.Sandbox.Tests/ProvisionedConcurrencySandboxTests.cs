using System.Net;

namespace Bot.Sandbox.Tests;

/// <summary>Provisioned concurrency on an alias: requested, IN_PROGRESS while allocating, then READY; removed again.</summary>
public sealed class ProvisionedConcurrencySandboxTests : IAsyncLifetime
{
    private const string Path = "/2019-09-30/functions/securebase-prod-user-management/provisioned-concurrency";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync(o => o.ProvisionedConcurrencyAllocationTime = TimeSpan.FromMinutes(2));
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Provisioned_concurrency_on_PROD_is_IN_PROGRESS_until_allocated_then_READY()
    {
        var put = await _sandbox.LambdaAsync(HttpMethod.Put, Path + "?Qualifier=PROD", new { ProvisionedConcurrentExecutions = 20 });
        var early = await _sandbox.LambdaAsync(HttpMethod.Get, Path + "?Qualifier=PROD");
        _sandbox.Time.Advance(TimeSpan.FromMinutes(2));
        var ready = await _sandbox.LambdaAsync(HttpMethod.Get, Path + "?Qualifier=PROD");

        Assert.Equal(HttpStatusCode.Accepted, put.Status);
        Assert.Equal("IN_PROGRESS", put.Body.GetProperty("Status").GetString());
        Assert.Equal(20, put.Body.GetProperty("RequestedProvisionedConcurrentExecutions").GetInt32());
        Assert.Equal("IN_PROGRESS", early.Body.GetProperty("Status").GetString());
        Assert.Equal(0, early.Body.GetProperty("AllocatedProvisionedConcurrentExecutions").GetInt32());
        Assert.Equal("READY", ready.Body.GetProperty("Status").GetString());
        Assert.Equal(20, ready.Body.GetProperty("AvailableProvisionedConcurrentExecutions").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", ready.Body.GetProperty("LastModified").GetString());
    }

    [Fact]
    public async Task Deleting_it_leaves_nothing_to_read()
    {
        await _sandbox.LambdaAsync(HttpMethod.Put, Path + "?Qualifier=PROD", new { ProvisionedConcurrentExecutions = 5 });

        var deleted = await _sandbox.LambdaAsync(HttpMethod.Delete, Path + "?Qualifier=PROD");
        var gone = await _sandbox.LambdaAsync(HttpMethod.Get, Path + "?Qualifier=PROD");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("ProvisionedConcurrencyConfigNotFoundException", gone.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task LATEST_more_than_the_reserved_concurrency_and_an_unknown_alias_are_refused()
    {
        var latest = await _sandbox.LambdaAsync(HttpMethod.Put, Path + "?Qualifier=$LATEST", new { ProvisionedConcurrentExecutions = 5 });
        var tooMany = await _sandbox.LambdaAsync(HttpMethod.Put, Path + "?Qualifier=PROD", new { ProvisionedConcurrentExecutions = 101 });
        var noAlias = await _sandbox.LambdaAsync(HttpMethod.Put, Path + "?Qualifier=BLUE", new { ProvisionedConcurrentExecutions = 5 });
        var zero = await _sandbox.LambdaAsync(HttpMethod.Put, Path + "?Qualifier=PROD", new { ProvisionedConcurrentExecutions = 0 });

        Assert.Equal("InvalidParameterValueException", latest.Header("x-amzn-ErrorType"));
        Assert.Contains("reservedConcurrentExecution", tooMany.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, noAlias.Status);
        Assert.Equal(HttpStatusCode.BadRequest, zero.Status);
        Assert.Empty(_sandbox.Account.Function("securebase-prod-user-management")!.ProvisionedConcurrency);
    }
}
