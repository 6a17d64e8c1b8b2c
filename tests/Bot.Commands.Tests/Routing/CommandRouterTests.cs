using Bot.Testing.Commands;
using Bot.Testing;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Microsoft.Extensions.Logging.Abstractions;
using Bot.Testing.Slack;
using Bot.Workflows.Messages;

namespace Bot.Commands.Tests.Routing;

public class CommandRouterTests
{
    /// <summary><c>/sb grep [--pattern P]</c>: answers with the pattern it got.</summary>
    private sealed class GrepCommand : ICommandHandler
    {
        public CommandSpec Spec { get; } = new()
        {
            Verb = "grep",
            Summary = "Echoes its pattern.",
            Usage = "/sb grep [--pattern P]",
            Flags = [new FlagSpec("pattern", "what to look for")],
        };

        public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
            context.RespondAsync(ChatMessage.InChannel($"pattern=[{context.Arguments.Flag("pattern") ?? "none"}]"), cancellationToken);
    }

    private static async Task<ChatMessage> RunAsync(string text)
    {
        var router = new CommandRouter([new GrepCommand()], NullLogger<CommandRouter>.Instance);
        var reply = new RecordingReplyChannel();
        await router.DispatchAsync(new CommandRequest { Command = "/sb", Text = text, User = new Actor("U1", "alice"), ChannelId = "C1" }, reply, CancellationToken.None);
        return Assert.Single(reply.Responses);
    }

    [Theory]
    [InlineData("grep --pattern \"")]
    [InlineData("grep --pattern \"ERROR")]
    [InlineData("grep --pattern \u201CERROR")]
    public async Task A_quote_that_is_never_closed_is_refused_and_the_handler_does_not_run(string text)
    {
        var answer = await RunAsync(text);

        Assert.True(answer.Ephemeral);
        Assert.Contains("quote", answer.Text.ToPlainText());
        Assert.DoesNotContain("pattern=", answer.Text.ToPlainText());
    }

    [Theory]
    [InlineData("grep --pattern \"\"")]
    [InlineData("grep --pattern=")]
    [InlineData("grep --pattern \"   \"")]
    public async Task An_empty_value_for_a_flag_is_refused(string text)
    {
        var answer = await RunAsync(text);

        Assert.True(answer.Ephemeral);
        Assert.Contains("`--pattern` needs a value", answer.Text.AsMrkdwn());
    }

    [Fact]
    public async Task A_closed_quote_still_groups_words()
    {
        var answer = await RunAsync("grep --pattern \"?ERROR ?Timeout\"");

        Assert.Equal("pattern=[?ERROR ?Timeout]", answer.Text.ToPlainText());
    }
}
