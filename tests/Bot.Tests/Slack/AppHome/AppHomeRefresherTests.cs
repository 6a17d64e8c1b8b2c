using Bot.Testing.Slack;
using Bot.Tests.Slack;
using Bot.Testing;
using Bot.Tests;
using Bot.Slack.AppHome;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Slack.AppHome;

/// <summary>The Home tab refresher asks the store whether anything moved only while somebody has a tab open.</summary>
public sealed class AppHomeRefresherTests : IAsyncDisposable
{
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly AppHomeOptions _options = new();
    private AppHomeRefresher _refresher = null!;

    private async Task<(StoreSpy Spy, AppHomeViewers Viewers)> StartAsync()
    {
        var sqlite = new SqliteWorkflowStore(_path, _time);
        await sqlite.InitializeAsync(CancellationToken.None);
        var (store, spy) = StoreSpy.Wrap(sqlite);
        var viewers = new AppHomeViewers(_time);
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        _refresher = new AppHomeRefresher(store, viewers, scopes, Options.Create(_options), _time, NullLogger<AppHomeRefresher>.Instance);
        await _refresher.StartAsync(CancellationToken.None);
        return (spy, viewers);
    }

    /// <summary>Lets <paramref name="rounds"/> refresh intervals pass, each with a moment (real time) for the round to run.</summary>
    private async Task RoundsAsync(int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Task.Delay(50);
            _time.Advance(_options.RefreshInterval);
        }
        await Task.Delay(100);
    }

    [Fact]
    public async Task The_store_is_asked_only_while_a_tab_is_open()
    {
        var (spy, viewers) = await StartAsync();

        await RoundsAsync(4);
        var readsWithNoTabOpen = spy.Count(nameof(IWorkflowStore.ListAggregatesAsync));
        viewers.Opened("U1ALICE");
        await RoundsAsync(3);

        Assert.Equal(0, readsWithNoTabOpen);
        Assert.True(spy.Count(nameof(IWorkflowStore.ListAggregatesAsync)) > 0, "the refresher never looked while a tab was open");
    }

    public async ValueTask DisposeAsync()
    {
        await _refresher.StopAsync(CancellationToken.None);
        _refresher.Dispose();
        TestStorage.Delete(_path);
    }
}
