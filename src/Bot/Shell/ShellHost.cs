namespace Bot.Shell;

/// <summary>The local terminal chat: same router and handlers as Slack.</summary>
public static class ShellHost
{
    public static bool IsShellMode(string[] args) => args.Length > 0 && args[0] == "shell";

    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("shell: not built yet");
        return Task.FromResult(1);
    }
}
