// Benchmarks are run by hand: dotnet run -c Release --project bench/Bot.Bench -- <name> [options]
using Bot.Bench;

return args.FirstOrDefault() switch
{
    "health" => await HealthBenchmark.RunAsync(args[1..]),
    "workflows" => await WorkflowsBenchmark.RunAsync(args[1..]),
    "approval" => await ApprovalBenchmark.RunAsync(args[1..]),
    "storm" => await StormBenchmark.RunAsync(args[1..]),
    "compare" => await Bot.Bench.Load.CompareBenchmark.RunAsync(args[1..]),
    "profile" => await Bot.Bench.Load.ProfileBenchmark.RunAsync(args[1..]),
    "idle" => await Bot.Bench.Load.IdleBenchmark.RunAsync(args[1..]),
    "micro" => Bot.Bench.Micro.HotPathBenchmarks.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Bot.Bench <benchmark> [options]

          health [--latency 100] [--slow-ms 1000] [--slow-op GetMetricData] [--runs 10] [--warmup 2]
              /sb health over signed Slack HTTP against the in-process sandbox, every AWS call delayed by
              --latency ms and one operation by --slow-ms; prints ack time, time to the final message,
              the slowest single AWS call and their ratio.
          workflows [--n 2000] [--dynamodb-n 1000] [--workers 4] [--only sqlite|dynamodb]
              workflow units of work per second and p50/p99 on SQLite and DynamoDB Local, one and two hosts,
              and timer lateness.
          approval [--runs 10] [--warmup 1] [--latency 50] [--trace]
              a production deploy's approval round trip over signed Slack HTTP against the in-process sandbox, every AWS
              call delayed by --latency ms: from the approver's click, the ack, the PROD alias moved, and the card edit
              that shows the change applied reaching Slack; --trace lists each run's AWS and chat calls.
          storm [--incidents 500] [--concurrency 32] [--calm-after 10] [--trace]
              an alert storm: signed PagerDuty V3 incident.triggered webhooks for distinct incidents of the sandbox's
              PagerDuty, sent concurrently to /pagerduty/webhooks; ack p50/p99/max, time until every incident is in the
              store, what reached the ops channel (the storm digest) and when, CPU time and peak working set.
          compare [--scale 1] [--max-seconds 30] [--idle-seconds 30] [--only ours|bolt] [--runs help:1,event:64] [--env K=V] [--bot-dll path/to/Bot.dll]
              ours against Slack Bolt (bench/bolt; bench/compare.sh installs it and runs this): signed /sb help at
              c=1 and c=64, clicks, events and PagerDuty webhooks from one load generator; req/s, p50/p90/p99/max,
              server CPU per request, peak RSS, start to ready, idle CPU, and ours as ratios to Bolt's.
          profile [--kind help|click|event|pagerduty] [--concurrency 64] [--seconds 15] [--out file.nettrace]
              CPU samples (Linux perf) of our server under one kind of load.
          idle [--seconds 60] [--store sqlite|dynamodb|both] [--bot-dll path/to/Bot.dll]
              an idle instance's CPU and (on DynamoDB Local, through a counting proxy) its store requests per second.
          micro [BenchmarkDotNet options, e.g. --filter '*']
              BenchmarkDotNet, in process: Slack signature check, SigV4 signing, Block Kit card, tokenizer; allocations per call.
        """);
    return 1;
}
