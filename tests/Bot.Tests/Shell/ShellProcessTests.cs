using Bot.Testing;
using Bot.Tests;

namespace Bot.Tests.Shell;

public class ShellProcessTests
{
    [Fact]
    public async Task The_built_bot_answers_a_scripted_shell_session_without_credentials()
    {
        var result = await BotProcess.RunAsync(["shell"], "/sb help\nas alice\nwhoami\nclick 1\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("SecureBase ops bot", result.StandardOutput);
        Assert.Contains("/sb help [command]", result.StandardOutput);
        Assert.Contains("You are @alice (UALICE).", result.StandardOutput);
        Assert.Contains("There are no buttons to click yet.", result.StandardOutput);
        Assert.DoesNotContain('\u001b', result.StandardOutput);
    }
}
