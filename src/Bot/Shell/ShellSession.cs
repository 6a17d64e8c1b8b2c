using System.Text.RegularExpressions;
using Bot.Commands.Routing;

namespace Bot.Shell;

/// <summary>
/// The shell's conversation loop: each line is a <c>/sb</c> command (the prefix is optional),
/// <c>click N</c> (press button N), <c>as NAME</c> (act as someone else, e.g. a second approver),
/// <c>whoami</c>, <c>help</c>, or <c>quit</c>. Goes through the same routers and handlers as Slack.
/// </summary>
public sealed partial class ShellSession(CommandRouter commands, InteractionRouter interactions, ShellTerminal terminal)
{
    public const string ShellHelp = """
        Shell commands:
          /sb <command> …   run a bot command (the "/sb " is optional)
          click <n> [text]  press button [n] (text answers a button that asks, e.g. a reason)
          as <name>         act as another person (e.g. a second approver)
          whoami            show who you are acting as
          help              this list and the bot's commands
          quit / exit       leave
        """;

    private Actor _user = UserFor(DefaultName());

    public Actor User => _user;

    /// <summary>Reads commands until end of input or <c>quit</c>; returns the exit code.</summary>
    public async Task<int> RunAsync(TextReader input, bool interactive, CancellationToken cancellationToken)
    {
        terminal.RememberUser(_user);
        if (interactive) terminal.Notice($"SecureBase ops bot shell. You are @{_user.UserName}. Type `help` for commands, `quit` to leave.");
        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive) terminal.Options.Output.Write($"{_user.UserName}> ");
            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null) break;
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!interactive) terminal.Line($"{_user.UserName}> {line}");
            if (!await ExecuteAsync(line, cancellationToken)) return 0;
        }
        if (!interactive) await terminal.WaitForQuietAsync(cancellationToken);
        return 0;
    }

    /// <summary>Runs one line; false when the line asks to leave.</summary>
    public async Task<bool> ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        var words = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = words[0].ToLowerInvariant();
        var rest = words.Length > 1 ? words[1] : "";
        switch (first)
        {
            case "quit" or "exit":
                return false;
            case "help" when rest.Length == 0:
                terminal.Line(ShellHelp);
                await RunCommandAsync(CommandRouter.HelpVerb, cancellationToken);
                return true;
            case "whoami":
                terminal.Line($"You are @{_user.UserName} ({_user.UserId}). A shell user: what you do here never counts as a Slack user's approval.");
                return true;
            case "as":
                SwitchUser(rest);
                return true;
            case "click":
                await ClickAsync(rest, cancellationToken);
                return true;
        }

        if (first == CommandRouter.SlashCommand || first == CommandRouter.SlashCommand[1..]) await RunCommandAsync(rest, cancellationToken);
        else if (first.StartsWith('/')) terminal.Line($"Only {CommandRouter.SlashCommand} is a command here. Type `help` for the list.");
        else await RunCommandAsync(line, cancellationToken);
        return true;
    }

    private Task RunCommandAsync(string text, CancellationToken cancellationToken)
    {
        var request = new CommandRequest
        {
            Command = CommandRouter.SlashCommand,
            Text = text,
            User = _user,
            ChannelId = terminal.Options.ChannelId,
            Transport = Transport.Shell,
        };
        return commands.DispatchAsync(request, new ShellReplyChannel(terminal, terminal.Options.ChannelId), cancellationToken);
    }

    private async Task ClickAsync(string argument, CancellationToken cancellationToken)
    {
        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var input = parts.Length > 1 ? parts[1] : null;
        if (parts.Length == 0 || !int.TryParse(parts[0].TrimStart('[').TrimEnd(']'), out var number))
        {
            terminal.Line("Usage: click <n> [text], where [n] is a button shown above (text answers a button that asks for it, e.g. a reason).");
            return;
        }
        if (await terminal.WaitForButtonAsync(number, cancellationToken) is not { } shown)
        {
            terminal.Line(terminal.ButtonCount == 0
                ? "There are no buttons to click yet."
                : $"There is no button [{number}]; buttons so far are [1]–[{terminal.ButtonCount}].");
            return;
        }
        var request = new InteractionRequest
        {
            Type = InteractionRequest.BlockActions,
            Id = shown.Action.ActionId,
            Value = shown.Action.Value,
            BlockId = shown.Action.BlockId,
            User = _user,
            ChannelId = shown.Channel,
            MessageTs = shown.MessageTs,
            InputText = input,
            Transport = Transport.Shell,
        };
        terminal.Notice($"(@{_user.UserName} clicks [{number}] {shown.Action.Label})");
        await interactions.DispatchAsync(request, new ShellReplyChannel(terminal, shown.Channel), cancellationToken);
    }

    private void SwitchUser(string name)
    {
        name = name.Trim().TrimStart('@');
        if (!ValidName().IsMatch(name))
        {
            terminal.Line("Usage: as <name>  (letters, digits, '.', '_' or '-'; up to 40 characters)");
            return;
        }
        _user = UserFor(name);
        terminal.RememberUser(_user);
        terminal.Line($"You are now @{_user.UserName} ({_user.UserId}).");
    }

    /// <summary>A stable fake user for a name: <c>alice</c> → <c>UALICE</c>, marked as a shell identity (never a production approver).</summary>
    public static Actor UserFor(string name) =>
        Actor.ShellUser("U" + new string(name.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant(), name);

    private static string DefaultName()
    {
        var name = new string(Environment.UserName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-').ToArray());
        return name.Length is > 0 and <= 40 && name.Any(char.IsAsciiLetterOrDigit) ? name : "operator";
    }

    [GeneratedRegex(@"^(?=.*[A-Za-z0-9])[A-Za-z0-9._-]{1,40}$")]
    private static partial Regex ValidName();
}
