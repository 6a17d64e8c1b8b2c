using Bot.Testing;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Changes;
using Bot.Integrations.Aws;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing.Aws;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Integrations.Tests.Aws;

/// <summary>The cloud port over the real Lambda and CloudWatch clients, against the sandbox account over SigV4-signed HTTP.</summary>
public sealed class LambdaCloudTests : IAsyncLifetime
{
    private const string Prod = "securebase-prod-user-management";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 14, 7, 30, TimeSpan.Zero));
    private SandboxCloud _world = null!;
    private SandboxServer _sandbox => _world.Sandbox;
    private ServiceProvider _services => _world.Services;
    private LambdaCloud _cloud => _world.Cloud;

    public async Task InitializeAsync() => _world = await SandboxCloud.StartAsync(_time);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task An_alias_moves_only_on_the_revision_that_was_read()
    {
        var alias = await _cloud.GetAliasAsync(Prod, "PROD", default);

        var moved = await _cloud.MoveAliasAsync(Prod, "PROD", "6", alias.RevisionId, default);
        var stale = await Assert.ThrowsAsync<PortException>(() => _cloud.MoveAliasAsync(Prod, "PROD", "5", alias.RevisionId, default));

        Assert.Equal(("7", "6"), (alias.Version, moved.Version));
        Assert.Equal(("PreconditionFailed", false), (stale.Code, stale.Transient));
        Assert.Contains("changed since it was read", stale.Message);
    }

    [Fact]
    public async Task A_missing_version_is_not_found_in_words()
    {
        var missing = await Assert.ThrowsAsync<PortException>(() => _cloud.GetVersionAsync(Prod, "99", default));

        Assert.Equal("NotFound", missing.Code);
        Assert.Contains("has no version 99", missing.Message);
    }

    [Fact]
    public async Task Versions_are_listed_newest_first_with_their_code()
    {
        var versions = await _cloud.ListVersionsAsync(Prod, default);

        Assert.Equal("7", versions[0].Version);
        Assert.All(versions, v => Assert.False(string.IsNullOrEmpty(v.CodeSha256)));
    }

    [Fact]
    public async Task Errors_of_a_newly_deployed_bad_version_show_once_their_minutes_are_complete()
    {
        _sandbox.Account.Faults.BadNextVersion(Prod, 1.0);
        var published = await _services.GetRequiredService<ILambdaClient>().PublishVersionAsync(Prod, new PublishVersionRequest(), default);
        var alias = await _cloud.GetAliasAsync(Prod, "PROD", default);
        _time.Advance(TimeSpan.FromSeconds(5));
        await _cloud.MoveAliasAsync(Prod, "PROD", published.Version!, alias.RevisionId, default);
        var deployedAt = _time.GetUtcNow();

        _time.Advance(TimeSpan.FromSeconds(20));
        var tooSoon = await _cloud.CountInvocationsAsync(Prod, "PROD", published.Version, deployedAt, _time.GetUtcNow(), default);
        _time.Advance(TimeSpan.FromMinutes(2)); // CloudWatch shows a minute once it is complete
        var after = await _cloud.CountInvocationsAsync(Prod, "PROD", published.Version, deployedAt, _time.GetUtcNow(), default);
        var throughAlias = await _cloud.CountInvocationsAsync(Prod, "PROD", null, deployedAt, _time.GetUtcNow(), default);
        var before = await _cloud.CountInvocationsAsync(Prod, "PROD", null, deployedAt - TimeSpan.FromMinutes(10), deployedAt, default);

        Assert.Equal(0, tooSoon.Errors);
        Assert.True(after.Errors > 5, $"{after.Errors} errors of the bad version");
        Assert.True(after.Invocations >= after.Errors && after.ErrorRate > 0.9, $"{after.Errors} errors in {after.Invocations} invocations");
        Assert.True(throughAlias.Errors >= after.Errors, "counting through the alias counts every version it ran");
        Assert.True(before.ErrorRate < after.ErrorRate, $"{before.Errors} errors in {before.Invocations} before");
    }

    [Fact]
    public async Task Settings_update_on_the_revision_that_was_read_and_wait_until_applied()
    {
        var settings = await _cloud.GetSettingsAsync(Prod, default);

        var updated = await _cloud.UpdateSettingsAsync(Prod, new SettingsUpdate(MemoryMb: 1024, Environment: new Dictionary<string, string>(settings.Environment) { ["LOG_LEVEL"] = "debug" }), settings.RevisionId, default);
        var stale = await Assert.ThrowsAsync<PortException>(() => _cloud.UpdateSettingsAsync(Prod, new SettingsUpdate(MemoryMb: 2048), settings.RevisionId, default));

        Assert.Equal((1024, "debug"), (updated.MemoryMb, updated.Environment["LOG_LEVEL"]));
        Assert.Equal("PreconditionFailed", stale.Code);
    }

    [Fact]
    public async Task Concurrency_is_set_and_removed()
    {
        await _cloud.SetReservedConcurrencyAsync(Prod, 25, default);
        var reserved = await _cloud.GetReservedConcurrencyAsync(Prod, default);
        await _cloud.SetReservedConcurrencyAsync(Prod, null, default);
        await _cloud.SetProvisionedConcurrencyAsync(Prod, "PROD", 3, default);

        Assert.Equal(25, reserved);
        Assert.Null(await _cloud.GetReservedConcurrencyAsync(Prod, default));
        Assert.Equal(3, await _cloud.GetProvisionedConcurrencyAsync(Prod, "PROD", default));
        Assert.Null(await _cloud.GetProvisionedConcurrencyAsync("securebase-prod-report-engine", "PROD", default));
    }
}
