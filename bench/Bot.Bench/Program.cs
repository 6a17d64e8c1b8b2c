// Benchmarks are run by hand: dotnet run -c Release --project bench/Bot.Bench -- <name>
if (args.Length > 0 && args[0] == "workflows") return await Bot.Bench.WorkflowsBenchmark.RunAsync(args[1..]);
Console.Error.WriteLine("usage: Bot.Bench <benchmark>   (workflows)");
return 1;
