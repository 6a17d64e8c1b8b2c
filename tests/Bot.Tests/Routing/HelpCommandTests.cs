using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Commands;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Shell;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Routing;

/// <summary><c>/sb help</c> of the whole bot, as people get it: every command listed, nothing cut to fit Slack.</summary>
public sealed class HelpCommandTests
{
    private static CommandRouter RealRouter(out IDisposable host)
    {
        var shell = ShellHost.Build([], TextWriter.Null, ansi: false,
            configure: c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Shell:SqlitePath"] = TestStorage.NewSqlitePath() }));
        host = shell;
        return shell.Services.GetRequiredService<CommandRouter>();
    }

    private static CommandRequest Request(string text) => new() { Command = "/sb", Text = text, User = new Actor("U1", "alice"), ChannelId = "C0OPS" };

    [Fact]
    public void The_overview_lists_every_command_and_fits_slacks_limits_without_cutting()
    {
        var router = RealRouter(out var host);
        using var _ = host;

        var answer = MessageRenderer.Render(router.Begin(Request("help")).Answer!);

        Assert.True(SlackMessageLimits.WithinLimits(answer.Text, answer.Blocks), "the overview would be cut by Slack's limits");
        var shown = string.Join('\n', answer.Blocks.OfType<Bot.Integrations.Slack.BlockKit.SectionBlock>().Select(s => s.Text?.Text));
        Assert.All(router.Specs, spec => Assert.Contains(SlackText.Escape(spec.Usage), shown));
    }

    [Fact]
    public void Every_commands_details_fit_slacks_limits_without_cutting()
    {
        var router = RealRouter(out var host);
        using var _ = host;

        Assert.All(router.Specs, spec =>
        {
            var answer = MessageRenderer.Render(router.Begin(Request($"help {spec.Verb}")).Answer!);
            Assert.True(SlackMessageLimits.WithinLimits(answer.Text, answer.Blocks), $"help {spec.Verb} would be cut");
        });
    }
}
