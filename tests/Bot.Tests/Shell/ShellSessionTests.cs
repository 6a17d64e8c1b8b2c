using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Shell;

public class ShellSessionTests
{
    [Fact]
    public async Task Scripted_sb_help_prints_the_command_list_and_exits_0()
    {
        using var shell = new ShellHarness();

        var exit = await shell.RunAsync("/sb help\n");

        Assert.Equal(0, exit);
        Assert.Contains("> /sb help", shell.Output);
        Assert.Contains("SecureBase ops bot", shell.Output);
        Assert.Contains("`/sb demo`  A message with buttons.", shell.Output);
        Assert.Contains("`/sb help [command]`  List the commands", shell.Output);
    }

    [Theory]
    [InlineData("/sb <!here>", "I don't know `/sb <!here>`")]
    [InlineData("/sb help <https://evil.example|click>", "There is no command `/sb <https://evil.example|click>`")]
    [InlineData("/sb cost --period \"a & b\"", "`--period a & b` is not a period")]
    [InlineData("/sb help logs", "/sb logs <function> [--since 1h]")]
    public async Task The_shell_shows_escaped_text_as_the_person_typed_it(string line, string expected)
    {
        using var shell = new ShellHarness();

        await shell.RunAsync(line + "\n");

        Assert.Contains(expected, shell.Output);
        Assert.DoesNotContain("&lt;", shell.Output);
        Assert.DoesNotContain("&amp;", shell.Output);
    }

    [Fact]
    public async Task Help_alone_lists_the_shell_commands_too()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("help\n");

        Assert.Contains("click <n>", shell.Output);
        Assert.Contains("as <name>", shell.Output);
        Assert.Contains("/sb help [command]", shell.Output);
    }

    [Theory]
    [InlineData("help demo")]
    [InlineData("sb help demo")]
    [InlineData("/sb help demo")]
    public async Task Commands_work_with_or_without_the_sb_prefix(string line)
    {
        using var shell = new ShellHarness();

        await shell.RunAsync(line + "\n");

        Assert.Contains("`/sb demo`", shell.Output);
        Assert.Contains("A message with buttons.", shell.Output);
    }

    [Fact]
    public async Task Buttons_are_numbered_and_rendered_readably()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("as alice\n/sb demo\n");

        Assert.Contains("Deploy api to prod\n  ==================", shell.Output.ReplaceLineEndings("\n"));
        Assert.Contains(":hourglass_flowing_sand: *Change chg-1*\n  Requested by @alice", shell.Output.ReplaceLineEndings("\n"));
        Assert.Contains("• *Version*\n  42", shell.Output.ReplaceLineEndings("\n"));
        Assert.Contains("[1] Approve (primary)   [2] Reject (danger)", shell.Output);
        Assert.Contains("Expires in 30 min", shell.Output);
    }

    [Fact]
    public async Task A_second_person_can_click_a_button_after_switching_with_as()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("as alice\n/sb demo\nas bob\nclick 2\n");

        Assert.Contains("You are now @bob (UBOB).", shell.Output);
        Assert.Contains("Rejected chg-1 (block wf:chg-1:1) by @bob", shell.Output);
        Assert.Contains("replaces the message you clicked", shell.Output);
    }

    [Fact]
    public async Task Clicking_a_button_that_does_not_exist_says_which_do()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("click 1\n/sb demo\nclick 7\nclick two\n");

        Assert.Contains("There are no buttons to click yet.", shell.Output);
        Assert.Contains("There is no button [7]; buttons so far are [1]–[2].", shell.Output);
        Assert.Contains("Usage: click <n>", shell.Output);
    }

    [Fact]
    public async Task Uploaded_files_are_saved_and_their_path_printed()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("/sb demo\n");

        var path = Assert.Single(Directory.GetFiles(shell.FilesDirectory));
        Assert.EndsWith("report.csv", path);
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(path));
        Assert.Contains(path, shell.Output);
    }

    [Fact]
    public async Task Messages_from_the_outbox_are_printed_and_their_buttons_can_be_clicked()
    {
        using var shell = new ShellHarness();
        var chat = shell.Host.Services.GetRequiredService<IChannelPoster>();

        var ts = (await chat.PostAsync("C0OPS", Approval("chg-9"), null, CancellationToken.None)).Ts;
        await shell.RunAsync("as carol\nclick 1\n");

        Assert.Contains($"sb in #C0OPS (message {ts}):", shell.Output);
        Assert.Contains("[1] Approve", shell.Output);
        Assert.Contains("Approved chg-9 (block wf:chg-9:1) by @carol", shell.Output);
    }

    [Fact]
    public async Task Click_waits_for_a_button_still_on_its_way_from_the_outbox()
    {
        using var shell = new ShellHarness(settleTime: TimeSpan.FromSeconds(10));
        var chat = shell.Host.Services.GetRequiredService<IChannelPoster>();
        var input = new LinesThenSignal("as dave", "click 1");

        var session = shell.RunAsync(input);
        await input.AllLinesHandedOut;
        await chat.PostAsync("C0OPS", Approval("chg-10"), null, CancellationToken.None);
        await session;

        Assert.Contains("Approved chg-10", shell.Output);
        Assert.DoesNotContain("no buttons", shell.Output);
    }

    /// <summary>A scheduled post with the demo card of change <paramref name="id"/>.</summary>
    private static ChatMessage Approval(string id) => ChatMessage.InChannel("Approve?", [new CardBlock(DemoInteraction.Card(id, "Approve?"))]);

    /// <summary>Hands out its lines, then reports it has, then ends.</summary>
    private sealed class LinesThenSignal(params string[] lines) : TextReader
    {
        private readonly TaskCompletionSource _handedOut = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _next;

        public Task AllLinesHandedOut => _handedOut.Task;

        public override string? ReadLine()
        {
            if (_next < lines.Length)
            {
                var line = lines[_next++];
                if (_next == lines.Length) _handedOut.TrySetResult();
                return line;
            }
            return null;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());
    }

    [Fact]
    public async Task Quit_stops_reading_and_later_lines_do_not_run()
    {
        using var shell = new ShellHarness();

        var exit = await shell.RunAsync("quit\n/sb help\n");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("SecureBase ops bot", shell.Output);
    }

    [Theory]
    [InlineData("as")]
    [InlineData("as ---")]
    [InlineData("as a b")]
    public async Task As_with_an_unusable_name_explains_and_keeps_the_user(string line)
    {
        using var shell = new ShellHarness();

        await shell.RunAsync($"as alice\n{line}\nwhoami\n");

        Assert.Contains("Usage: as <name>", shell.Output);
        Assert.Contains("You are @alice (UALICE).", shell.Output);
    }

    [Fact]
    public async Task Output_without_a_terminal_has_no_ansi_codes()
    {
        using var shell = new ShellHarness();

        await shell.RunAsync("/sb demo\nclick 1\n/sb nope\n");

        Assert.DoesNotContain('\u001b', shell.Output);
    }
}
