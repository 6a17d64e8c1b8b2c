using System.Collections.Concurrent;
using System.Diagnostics;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Timers;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging.Abstractions;
using Stateless;

namespace Bot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Bot.Bench -- workflows [--n 2000] [--dynamodb-n 1000] [--workers 4] [--only sqlite|dynamodb]</c>:
/// units of work per second and p99 latency on SQLite and on DynamoDB Local with 1 and 2 hosts, and timer lateness (due → fired) p99.
/// Goals: ≥ 500 transitions/s on SQLite, timer lateness p99 ≤ 1 s. Loopback only; bounded in count.
/// </summary>
public static class WorkflowsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Option(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        var n = Number("--n", 2000);
        var dynamoN = Number("--dynamodb-n", 1000);
        var workers = Number("--workers", 4);
        var only = Option("--only");
        var dir = Path.Combine(Path.GetTempPath(), "sb-bench-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"{workers} workers per host, 50 aggregates; warm-up runs are not counted.");
        Console.WriteLine();
        Console.WriteLine($"| store | hosts | transitions | per second | p50 ms | p99 ms |");
        Console.WriteLine($"| --- | --- | --- | --- | --- | --- |");
        try
        {
            if (only is null or "sqlite")
            {
                foreach (var hosts in new[] { 1, 2 })
                {
                    var path = Path.Combine(dir, $"bench-{hosts}.db");
                    await MeasureAsync("sqlite", hosts, workers, n, () => new SqliteWorkflowStore(path, TimeProvider.System));
                }
            }
            if (only is null or "dynamodb")
            {
                await using var dynamoDb = await DynamoDbLocalServer.StartAsync();
                foreach (var hosts in new[] { 1, 2 })
                {
                    var table = $"bench-{hosts}-{Guid.NewGuid():N}"[..20];
                    await MeasureAsync("dynamodb-local", hosts, workers, dynamoN, () => new DynamoDbWorkflowStore(dynamoDb.NewClient(), table, TimeProvider.System, createTable: true));
                }
                Console.WriteLine();
                await TimerLatenessAsync(new DynamoDbWorkflowStore(dynamoDb.NewClient(), "bench-timers", TimeProvider.System, createTable: true), "dynamodb-local", 100);
            }
            if (only is null or "sqlite")
                await TimerLatenessAsync(new SqliteWorkflowStore(Path.Combine(dir, "timers.db"), TimeProvider.System), "sqlite", 200);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
        return 0;
    }

    private static readonly WorkflowRegistry Registry = new([Toggle.Definition]);

    private static async Task MeasureAsync(string name, int hostCount, int workersPerHost, int n, Func<IWorkflowStore> open)
    {
        var engines = new List<WorkflowEngine>();
        for (var h = 0; h < hostCount; h++)
        {
            var store = open();
            await store.InitializeAsync(CancellationToken.None);
            engines.Add(new WorkflowEngine(store, store, store, Registry, NoRoles.Instance, TimeProvider.System, NullLogger<WorkflowEngine>.Instance));
        }
        const int aggregates = 50;
        for (var i = 0; i < aggregates; i++)
            await engines[0].CreateAsync(new Toggle($"t{i}"), WorkflowActor.Bot, null, null, CancellationToken.None);

        // Warm-up (JIT here and in the server), then the measured run. Each host runs its workers; each worker flips
        // aggregates in its own stride, so contention comes mostly from the shared audit chain.
        await RunWorkersAsync(engines, workersPerHost, Math.Max(n / 10, 20), aggregates, null);
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await RunWorkersAsync(engines, workersPerHost, n, aggregates, latencies);
        clock.Stop();
        var sorted = latencies.Order().ToArray();
        Console.WriteLine($"| {name} | {hostCount} | {sorted.Length} | {sorted.Length / clock.Elapsed.TotalSeconds:0} | {Pct(sorted, 0.50):0.0} | {Pct(sorted, 0.99):0.0} |");
    }

    private static Task RunWorkersAsync(List<WorkflowEngine> engines, int workersPerHost, int n, int aggregates, ConcurrentBag<double>? latencies)
    {
        var workers = engines.Count * workersPerHost;
        var perWorker = n / workers;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var engine = engines[w % engines.Count];
            for (var i = 0; i < perWorker; i++)
            {
                var id = $"t{(w * 7 + i) % aggregates}";
                var sw = Stopwatch.StartNew();
                var outcome = await engine.FireAsync(new WorkflowTrigger(Toggle.Type, id, nameof(ToggleTrigger.Flip), WorkflowActor.Bot), CancellationToken.None);
                if (!outcome.IsTransitioned) throw new InvalidOperationException(outcome.Describe());
                latencies?.Add(sw.Elapsed.TotalMilliseconds);
            }
        })));
    }

    private static async Task TimerLatenessAsync(IWorkflowStore store, string name, int count)
    {
        await store.InitializeAsync(CancellationToken.None);
        var signals = new WorkSignals();
        var engine = new WorkflowEngine(store, store, store, Registry, NoRoles.Instance, TimeProvider.System, NullLogger<WorkflowEngine>.Instance, signals);
        var pump = new TimerPump(store, engine, TimeProvider.System, NullLogger<TimerPump>.Instance, signals);
        Toggle.Lateness.Clear();
        var start = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            var t = new Toggle($"timer{i}") { ArmAt = start + TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(0, 3000)) };
            await engine.CreateAsync(t, WorkflowActor.Bot, null, null, CancellationToken.None);
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = pump.RunAsync(stop.Token);
        while (Toggle.Lateness.Count < count && !stop.IsCancellationRequested) await Task.Delay(100);
        await stop.CancelAsync();
        try { await running; } catch (OperationCanceledException) { }
        var sorted = Toggle.Lateness.Order().ToArray();
        Console.WriteLine($"timer lateness on {name}: {sorted.Length}/{count} fired, p50 {Pct(sorted, 0.5):0} ms, p99 {Pct(sorted, 0.99):0} ms, max {sorted.LastOrDefault():0} ms (the pump wakes at the next due time)");
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    public enum ToggleState { Off, On }
    public enum ToggleTrigger { Flip, Tick }
    public sealed class ToggleData { public int Flips { get; set; } }

    /// <summary>A minimal aggregate for load: Flip toggles; Tick comes from a timer and records its lateness.</summary>
    private sealed class Toggle(string id) : WorkflowAggregate<ToggleState, ToggleTrigger, ToggleData>(id, ToggleState.Off)
    {
        public const string Type = "bench-toggle";
        public static readonly WorkflowDefinition<Toggle> Definition = new(Type, i => new Toggle(i));
        public static readonly ConcurrentBag<double> Lateness = [];
        public DateTimeOffset? ArmAt { get; init; }
        public override string AggregateType => Type;

        protected override void Configure(StateMachine<ToggleState, ToggleTrigger> machine)
        {
            machine.Configure(ToggleState.Off).Permit(ToggleTrigger.Flip, ToggleState.On)
                .PermitIf(On(ToggleTrigger.Tick), ToggleState.On, _ => true, "timer")
                .OnEntry(() => Data.Flips++);
            machine.Configure(ToggleState.On).Permit(ToggleTrigger.Flip, ToggleState.Off)
                .OnEntryFrom(On(ToggleTrigger.Tick), ctx =>
                    Lateness.Add((ctx.Now - new DateTimeOffset(long.Parse(ctx.Expectation!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero)).TotalMilliseconds));
        }

        protected override void OnCreated()
        {
            Post("C0BENCH", $"toggle {Id}");
            if (ArmAt is { } at) SetTimer("tick", ToggleTrigger.Tick, at, at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Nobody holds a role: the bench's triggers need none.</summary>
    private sealed class NoRoles : Bot.Workflows.Ports.IDirectory
    {
        public static readonly NoRoles Instance = new();

        public Task<IReadOnlySet<string>> RolesOfAsync(WorkflowActor person, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());

        public Task<string?> EmailOfAsync(WorkflowActor person, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }
}
