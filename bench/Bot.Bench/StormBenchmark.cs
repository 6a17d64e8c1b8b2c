using System.Globalization;
using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Bot.PagerDuty;
using Bot.Testing.Slack;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Bench;

/// <summary>
/// An alert storm: <c>--incidents</c> signed PagerDuty V3 <c>incident.triggered</c> webhooks for as many distinct incidents
/// (on a few services of the sandbox's PagerDuty) sent <c>--concurrency</c> at a time to the in-process bot's
/// <c>/pagerduty/webhooks</c>. Measures the acks, the time until every incident is recorded in the store, what reached the
/// ops channel and when (the storm digest above all), and the process's CPU time and peak working set. All on 127.0.0.1.
/// </summary>
public static class StormBenchmark
{
    public const string Ops = "C0OPS";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = BenchArgs.Number(args, "--incidents", 500);
        var concurrency = BenchArgs.Number(args, "--concurrency", 32);
        var calmAfter = TimeSpan.FromSeconds(BenchArgs.Number(args, "--calm-after", 10));
        var trace = args.Contains("--trace");
        var history = BenchArgs.Number(args, "--history", 0);

        await using var slack = await SlackApiFake.StartAsync();
        await using var bot = await BenchBot.StartAsync(slack, new Dictionary<string, string?>
        {
            ["Slack:OpsChannelId"] = Ops,
            ["Sandbox:StartWithOpenIncident"] = "false",
            // Only the webhooks bring incidents in: the reconciler's poll of PagerDuty is off.
            ["Incidents:ReconcileEvery"] = "00:00:00",
            // Shorter than the default 2 minutes, so the run ends with the storm-over message.
            ["Incidents:Storm:CalmAfter"] = calmAfter.ToString(),
        });
        var store = bot.Services.GetRequiredService<IWorkflowStore>();
        if (history > 0) await AddHistoryAsync(bot.SqlitePath, history);
        var storm = bot.Services.GetRequiredService<IOptions<IncidentOptions>>().Value.Storm;
        var secret = bot.Services.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>().CurrentValue.WebhookSecret!;
        var webhooks = await StormWebhooks.CaptureAsync(bot.Sandbox.PagerDuty, secret, count);
        using var http = bot.Client(concurrency);
        // A bot that has taken webhooks before: connections open, the endpoint's and the inbox's code compiled.
        var warmup = await StormWebhooks.SendAsync(http, StormWebhooks.Pings(secret, 4 * concurrency), concurrency);
        if (warmup.Statuses.Any(s => s != 202)) throw new InvalidOperationException("A ping webhook was refused: " + string.Join(", ", warmup.Statuses.Distinct()));
        await AllRecordedAsync(store, DateTimeOffset.UtcNow);

        Console.WriteLine($"alert storm: {count} incident.triggered webhooks, {concurrency} at a time{(history > 0 ? $", on a store holding {history} handled webhooks" : "")}; storm limit {storm.MaxPerMinute}/min, " +
            $"digest edited every {storm.FlushEvery.TotalSeconds:0} s, calm after {calmAfter.TotalSeconds:0} s; {BenchArgs.Machine()}");
        using var memory = new PeakWorkingSet();
        var cpuBefore = ProcessCpu.Now();
        var runtimeBefore = RuntimeWork.Now();
        var started = DateTimeOffset.UtcNow;
        var sent = await StormWebhooks.SendAsync(http, webhooks, concurrency);
        if (trace)
            for (var k = 0; k < sent.LatenciesMs.Length; k += 25)
                Console.WriteLine($"       acks {k,4}–{Math.Min(k + 24, count - 1),4} (ms, in the order sent): {string.Join(" ", sent.LatenciesMs.Skip(k).Take(25).Select(l => l.ToString("0", CultureInfo.InvariantCulture)))}");
        var recorded = await AllRecordedAsync(store, started);
        var cpuRecorded = ProcessCpu.Now() - cpuBefore;
        var runtime = RuntimeWork.Now() - runtimeBefore;
        var incidents = (await store.ListAggregatesAsync(Incident.Type, null, count * 2, CancellationToken.None))
            .Select(r => (Incident)Incident.Definition.Restore(r)).ToList();
        var intake = await store.LoadAsync(IncidentIntake.Type, IncidentIntake.IdFor(Ops), CancellationToken.None);
        await QuietAsync(store, slack, calmAfter);
        var cpuQuiet = ProcessCpu.Now() - cpuBefore;

        var accepted = sent.Statuses.Count(s => s == 202);
        var p99 = Stats.Percentile(sent.LatenciesMs, 0.99);
        var quiet = incidents.Count(i => i.Data.Quiet);
        Console.WriteLine();
        Console.WriteLine($"acks          {accepted} of {count} answered 202 in {sent.Elapsed.TotalMilliseconds:0} ms ({count / sent.Elapsed.TotalSeconds:0}/s)" +
            (accepted == count ? "" : $"; others: {string.Join(", ", sent.Statuses.Where(s => s != 202).Distinct())}"));
        Console.WriteLine($"ack latency   p50 {Stats.Median(sent.LatenciesMs):0.0} ms   p99 {p99:0.0} ms   max {sent.LatenciesMs.Max():0.0} ms   " +
            $"(goal: all 202, p99 ≤ 100 ms: {Stats.Met(accepted == count && p99 <= 100)})");
        Console.WriteLine($"recorded      {incidents.Count} of {count} incidents in the store, the last {recorded.TotalMilliseconds:0} ms after the first webhook " +
            $"({count / recorded.TotalSeconds:0}/s); {incidents.Count - quiet} with a thread, {quiet} in the digest; the intake record is {intake?.Data.Length / 1000.0:0} KB");
        StormSlack.Report(slack.Requests, started, recorded, quiet, storm.MaxPerMinute, trace);
        Console.WriteLine($"cpu           {cpuRecorded.TotalMilliseconds:0} ms until all recorded ({cpuRecorded.TotalMilliseconds * 1000 / count:0} µs per webhook), " +
            $"{cpuQuiet.TotalMilliseconds:0} ms until quiet (the whole process: bot, sender, Slack stand-in, sandbox PagerDuty)");
        Console.WriteLine($"runtime       until all recorded: {runtime}");
        Console.WriteLine($"memory        working set {memory.Before / 1e6:0} MB before, peak {memory.Peak / 1e6:0} MB during the run");
        return accepted == count && incidents.Count == count ? 0 : 2;
    }

    /// <summary>
    /// A store that has run for a while: <paramref name="count"/> webhook events handled in the past days, kept (as the inbox
    /// keeps them, to recognise a repeat) until their retention ends. Written straight into the bot's SQLite file, one transaction.
    /// </summary>
    private static async Task AddHistoryAsync(string sqlitePath, int count)
    {
        await using var c = new SqliteConnection($"Data Source={sqlitePath};Pooling=False");
        await c.OpenAsync();
        await using var tx = c.BeginTransaction();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO work(id, queue, payload, created_at, due_at, attempts, completed_at, outcome, forget_after)
            VALUES ($id, $q, $p, $at, $at, 1, $at, 'handled', $forget);
            """;
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        cmd.Parameters.AddWithValue("$q", PagerDutyInbox.Queue);
        // About the size of a stored delivery (its raw body is 1–2 KB).
        cmd.Parameters.AddWithValue("$p", new string('x', 1500));
        var at = cmd.Parameters.Add("$at", SqliteType.Integer);
        var forget = cmd.Parameters.Add("$forget", SqliteType.Integer);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var handled = now - TimeSpan.FromDays(6.0 * i / count);
            id.Value = $"pagerduty:history-{i}";
            at.Value = handled.UtcTicks;
            forget.Value = (handled + TimeSpan.FromDays(7)).UtcTicks;
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>Waits until the PagerDuty inbox has handed every stored event on; returns how long after <paramref name="started"/> that was.</summary>
    private static async Task<TimeSpan> AllRecordedAsync(IWorkflowStore store, DateTimeOffset started)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        while ((await store.ListPendingWorkAsync(PagerDutyInbox.Queue, 1, patience.Token)).Count > 0) await Task.Delay(20, patience.Token);
        return DateTimeOffset.UtcNow - started;
    }

    /// <summary>Waits until the storm is over (the intake calm again), the outbox empty and Slack has heard nothing for two seconds.</summary>
    private static async Task QuietAsync(IWorkflowStore store, SlackApiFake slack, TimeSpan calmAfter)
    {
        using var patience = new CancellationTokenSource(calmAfter + TimeSpan.FromMinutes(5));
        while (true)
        {
            var intake = await store.LoadAsync(IncidentIntake.Type, IncidentIntake.IdFor(Ops), patience.Token);
            var lastCall = slack.Requests.Count == 0 ? DateTimeOffset.MinValue : slack.Requests.Max(r => r.At);
            if (intake?.State == nameof(IntakeState.Calm) && await store.CountPendingOutboxAsync(patience.Token) == 0 && DateTimeOffset.UtcNow - lastCall > TimeSpan.FromSeconds(2))
                return;
            await Task.Delay(200, patience.Token);
        }
    }
}
