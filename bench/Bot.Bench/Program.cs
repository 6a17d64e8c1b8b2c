// Benchmarks are run by hand: dotnet run -c Release --project bench/Bot.Bench -- <name>
Console.Error.WriteLine("usage: Bot.Bench <benchmark>   (none yet)");
return 1;
