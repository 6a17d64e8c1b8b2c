// Standalone sandbox account: dotnet run --project src/Bot.Sandbox -- --urls http://127.0.0.1:4566
Console.Error.WriteLine("sandbox: not built yet");
return 1;
