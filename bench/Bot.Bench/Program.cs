// Benchmarks are run by hand: dotnet run -c Release --project bench/Bot.Bench -- <name> [options]
using Bot.Bench;

return args.FirstOrDefault() switch
{
    "health" => await HealthBenchmark.RunAsync(args[1..]),
    "workflows" => await WorkflowsBenchmark.RunAsync(args[1..]),
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
        """);
    return 1;
}
