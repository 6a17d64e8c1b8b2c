using Bot.Testing;
using Bot.Tests;
using Bot.Operations;
using Bot.Workflows;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Operations;

/// <summary>
/// What an idle instance asks its store for: a heartbeat every sample interval, and the gauges' snapshot only while
/// someone collects the gauges (an instance without a metrics exporter reads nothing else).
/// </summary>
public sealed class OperationsMonitorTests : IAsyncDisposable
{
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly OperationsOptions _options = new();
    private OperationsMonitor _monitor = null!;
    private StoreSpy _spy = null!;

    private async Task StartAsync()
    {
        var sqlite = new SqliteWorkflowStore(_path, _time);
        await sqlite.InitializeAsync(CancellationToken.None);
        IWorkflowStore store;
        (store, _spy) = StoreSpy.Wrap(sqlite);
        _monitor = new OperationsMonitor(store, store, new BotInstance(_time), Options.Create(new StoreOptions()), Options.Create(_options), _time, NullLogger<OperationsMonitor>.Instance);
        await _monitor.StartAsync(CancellationToken.None);
        await HeartbeatsAsync(1);
        await CallsAsync(nameof(IWorkflowStore.RecountAsync), WorkflowCensus.Types.Count); // the first round counts the workflows anew
    }

    private async Task CallsAsync(string method, int n)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_spy.CountFinished(method) < n) await Task.Delay(5, bound.Token);
    }

    /// <summary>Waits (in real time, as a bound only) until the monitor has written <paramref name="n"/> heartbeats.</summary>
    private async Task HeartbeatsAsync(int n)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_spy.Count(nameof(IWorkflowStore.RecordInstanceAsync)) < n) await Task.Delay(5, bound.Token);
        await Task.Delay(50); // the round's reads, if any, follow the heartbeat
    }

    [Fact]
    public async Task An_instance_whose_gauges_nobody_collects_writes_its_heartbeat_and_reads_nothing()
    {
        await StartAsync();
        var afterFirstRound = _spy.Total;

        for (var i = 2; i <= 4; i++)
        {
            _time.Advance(_options.SampleInterval);
            await HeartbeatsAsync(i);
        }

        Assert.Equal(3, _spy.Total - afterFirstRound);
        Assert.Equal(4, _spy.Count(nameof(IWorkflowStore.RecordInstanceAsync)));
    }

    [Fact]
    public async Task Collecting_the_gauges_keeps_the_snapshot_fresh()
    {
        await StartAsync();
        var reads = _spy.Count(nameof(IWorkflowStore.CountPendingOutboxAsync));

        Assert.NotNull(_monitor.Observe()); // an exporter collects: the first round's snapshot
        _time.Advance(_options.SampleInterval);
        await HeartbeatsAsync(2);

        Assert.Equal(reads + 1, _spy.Count(nameof(IWorkflowStore.CountPendingOutboxAsync)));
        Assert.Equal(_time.GetUtcNow(), _monitor.Latest!.At);
    }

    [Fact]
    public async Task The_snapshot_counts_the_workflows_from_the_stores_counters_without_reading_any_and_they_are_recounted_hourly()
    {
        await StartAsync();

        Assert.NotNull(_monitor.Observe());
        _time.Advance(_options.SampleInterval);
        await HeartbeatsAsync(2);
        await CallsAsync(nameof(IWorkflowStore.CountByStateAsync), 2 * WorkflowCensus.Types.Count);
        var recountsInTheFirstHour = _spy.Count(nameof(IWorkflowStore.RecountAsync));
        _time.Advance(_options.RecountInterval);
        await HeartbeatsAsync(3);
        await CallsAsync(nameof(IWorkflowStore.RecountAsync), 2 * WorkflowCensus.Types.Count);

        Assert.Equal(0, _spy.Count(nameof(IWorkflowStore.ListAggregatesAsync)) + _spy.Count(nameof(IWorkflowStore.LoadAsync)));
        Assert.Equal(WorkflowCensus.Types.Count, recountsInTheFirstHour);
    }

    public async ValueTask DisposeAsync()
    {
        await _monitor.StopAsync(CancellationToken.None);
        _monitor.Dispose();
        TestStorage.Delete(_path);
    }
}
