using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Bot.Sandbox.Account;
using Bot.Testing.Slack;
using Bot.Workflows.Changes;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Bench;

/// <summary>
/// The approval round trip of a production deploy, from the second person's click: the ack, the moment the sandbox's
/// <c>PROD</c> alias moved (the sandbox's own record of it), and the moment the edit of the card that shows the change
/// applied reached the Slack stand-in. Each run is a fresh release (CI's part done straight on the sandbox account), a
/// signed <c>/sb deploy</c> by one person and a signed click on the card's Approve button by another, every AWS call
/// delayed by <c>--latency</c> ms. All on 127.0.0.1.
/// </summary>
public static partial class ApprovalBenchmark
{
    private const string Ops = "C0OPS";
    private const string Function = "user-management";
    private const string Prod = "securebase-prod-user-management";
    private const string Staging = "securebase-staging-user-management";
    private const string Approve = "wf:change:Approve";
    /// <summary>The card's status once the alias moved (state Verifying).</summary>
    private const string Applied = "Deployed; watching the error rate";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchArgs.Number(args, "--runs", 10);
        var warmup = BenchArgs.Number(args, "--warmup", 1);
        var latency = TimeSpan.FromMilliseconds(BenchArgs.Number(args, "--latency", 50));
        var trace = args.Contains("--trace");

        await using var slack = await SlackApiFake.StartAsync();
        var calls = new AwsCallLog();
        await using var bot = await BenchBot.StartAsync(slack, new Dictionary<string, string?>
        {
            ["Slack:OpsChannelId"] = Ops,
            ["Rbac:Roles:approver:Users:0"] = "U1BOB",
            ["Sandbox:StartWithOpenIncident"] = "false",
            ["Incidents:ReconcileEvery"] = "00:00:00",
            // Short, so each run's change ends (and stops posting) before the next one: three one-second periods, which
            // read none of the sandbox's minutes, so each run ends "not verified" (what is measured is the move).
            ["Changes:MetricPeriod"] = "00:00:01",
            ["Changes:MetricLag"] = "00:00:00",
            ["Changes:VerifyWindow"] = "00:00:03",
            ["Changes:VerifyInterval"] = "00:00:01",
        }, calls.AddTo);
        if (latency > TimeSpan.Zero) bot.Sandbox.Faults.Latency(latency);
        var store = bot.Services.GetRequiredService<IWorkflowStore>();
        using var http = bot.Client();

        Console.WriteLine($"approval round trip: every AWS call +{latency.TotalMilliseconds:0} ms; {warmup} warm-up + {runs} measured runs; {BenchArgs.Machine()}");
        Console.WriteLine($"{"run",4} {"change",16} {"ack ms",7} {"alias moved ms",15} {"card updated ms",16} {"aws calls",10} {"in aws ms",10} {"ops msgs",9}");
        var results = new List<(double Ack, double Alias, double Card)>();
        for (var i = 0; i < warmup + runs; i++)
        {
            var version = ReleaseThroughStaging(bot.Sandbox);
            var reason = $"bench run {i}";
            using (var request = await http.SendAsync(bot.Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm(
                       $"deploy {Function} {version} --reason \"{reason}\"", slack.ResponseUrl($"request-{i}"), userId: "U1ALICE", userName: "alice", channelId: Ops))))
                if (request.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/sb deploy was answered {(int)request.StatusCode}");
            var card = (await slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains(reason, StringComparison.Ordinal)
                && r.Body.Contains(Approve, StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(30)))[0];
            var change = ChangeId().Match(card.Body).Value;
            var button = SlackClicks.ButtonValue(card.Body, Approve) ?? throw new InvalidOperationException("The card has no Approve button.");
            // The approver sees the card some time later: the channel is idle and its pacing over.
            await OutboxDrainedAsync(store);
            await Task.Delay(OutboxPacing);

            calls.Reset();
            var started = DateTimeOffset.UtcNow;
            var stopwatch = Stopwatch.StartNew();
            using (var click = await http.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(SlackClicks.Payload(
                       BenchBot.TeamId, "U1BOB", "bob", Ops, Approve, button, slack.ResponseUrl($"click-{i}"), $"{started.ToUnixTimeSeconds()}.{i:D6}")))))
                if (click.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"the click was answered {(int)click.StatusCode}");
            var ackMs = stopwatch.Elapsed.TotalMilliseconds;

            var applied = (await slack.WaitForAsync(r => r.Path == "/api/chat.update" && r.Body.Contains(change, StringComparison.Ordinal)
                && r.Body.Contains(Applied, StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(60)))[0];
            var alias = bot.Sandbox.Function(Prod)!.Aliases["PROD"].Current;
            if (alias.Version != version) throw new InvalidOperationException($"PROD points at {alias.Version}, not {version}");
            var aliasMs = (alias.From - started).TotalMilliseconds;
            var cardMs = (applied.At - started).TotalMilliseconds;
            var before = calls.Calls.Where(c => c.Started <= alias.From).ToList();
            var awsMs = before.Sum(c => c.Duration.TotalMilliseconds);
            var opsMessages = slack.Requests.Count(r => r.At >= started && r.At <= applied.At && r.Path.StartsWith("/api/chat.", StringComparison.Ordinal)
                && r.Body.Contains($"\"channel\":\"{Ops}\"", StringComparison.Ordinal));

            if (trace) Trace(calls, slack, started, applied.At);
            var measured = i >= warmup;
            Console.WriteLine($"{(measured ? (i - warmup + 1).ToString(CultureInfo.InvariantCulture) : "w"),4} {change,16} {ackMs,7:0.0} {aliasMs,15:0} {cardMs,16:0} {before.Count,10} {awsMs,10:0} {opsMessages,9}");
            if (measured) results.Add((ackMs, aliasMs, cardMs));
            await FinishedAsync(store, change);
        }

        Console.WriteLine();
        Summary("ack", results.Select(r => r.Ack), 50, "");
        Summary("alias moved", results.Select(r => r.Alias), 1000, $" with {latency.TotalMilliseconds:0} ms per AWS call");
        Summary("card updated", results.Select(r => r.Card), 1000, "");
        return 0;
    }

    /// <summary>Each AWS call and each chat call from the click until the card showed the change applied, in milliseconds from the click.</summary>
    private static void Trace(AwsCallLog calls, SlackApiFake slack, DateTimeOffset click, DateTimeOffset applied)
    {
        foreach (var c in calls.Calls.Where(c => c.Started <= applied))
            Console.WriteLine($"       {(c.Started - click).TotalMilliseconds,6:0} ms  AWS {c.Operation} ({c.Duration.TotalMilliseconds:0} ms)");
        foreach (var r in slack.Requests.Where(r => r.At >= click && r.At <= applied && r.Path.StartsWith("/api/chat.", StringComparison.Ordinal)))
            Console.WriteLine($"       {(r.At - click).TotalMilliseconds,6:0} ms  Slack {r.Path[5..]} {r.Body[..Math.Min(110, r.Body.Length)]}");
    }

    /// <summary>Slack's pace in one channel, which the outbox keeps (about a message a second).</summary>
    private static readonly TimeSpan OutboxPacing = TimeSpan.FromSeconds(1.1);

    /// <summary>One figure's median, p90 and max; its goal holds when every measured run meets it.</summary>
    private static void Summary(string what, IEnumerable<double> values, double goalMs, string condition)
    {
        var list = values.ToList();
        Console.WriteLine($"{what,-13} median {Stats.Median(list),7:0.0} ms   p90 {Stats.Percentile(list, 0.9),7:0.0} ms   max {list.Max(),7:0.0} ms   " +
            $"(goal ≤ {goalMs:0} ms{condition} in every run: {Stats.Met(list.Max() <= goalMs)})");
    }

    /// <summary>
    /// CI's part of a release, straight on the sandbox account and not timed: the next release is uploaded to staging,
    /// published and put behind staging's <c>PROD</c> alias, then uploaded to prod and published there. Returns the
    /// prod version to deploy (staging runs its code, so the deploy passes the staging-first rule).
    /// </summary>
    private static string ReleaseThroughStaging(SandboxAccount account)
    {
        var release = account.UploadCode(Staging).Release;
        account.UpdateAlias(Staging, "PROD", account.PublishVersion(Staging).Version);
        account.UploadCode(Prod, release);
        return account.PublishVersion(Prod).Version;
    }

    private static async Task OutboxDrainedAsync(IWorkflowStore store)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await store.CountPendingOutboxAsync(patience.Token) > 0) await Task.Delay(50, patience.Token);
    }

    /// <summary>Waits until the change has finished (its short watch window ended) and everything it posts went out.</summary>
    private static async Task FinishedAsync(IWorkflowStore store, string change)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await store.LoadAsync(Change.Type, change, patience.Token) is not { State: nameof(ChangeState.Completed) or nameof(ChangeState.NotVerified) or nameof(ChangeState.RolledBack) or nameof(ChangeState.Failed) })
            await Task.Delay(100, patience.Token);
        await OutboxDrainedAsync(store);
    }

    [GeneratedRegex(@"CHG-\d{6}-[A-Z0-9]{4}")]
    private static partial Regex ChangeId();
}
