using Bot.Testing.Commands;
using Bot.Testing;
using Bot.Commands.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Bot.Workflows.Messages;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Routing;

/// <summary>
/// Which answers are ready at once (and so go in Slack's ack): the same text the handler path would send, for help,
/// unknown verbs, usage errors and refusals; nothing for a command whose handler has to run.
/// </summary>
public sealed class AnswerAtOnceTests
{
    private sealed class SlowCommand : ICommandHandler
    {
        public CommandSpec Spec { get; } = new() { Verb = "slow", Summary = "Needs I/O.", Usage = "/sb slow", ChangesState = true };
        public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) => context.RespondEphemeralAsync("ran", cancellationToken);
    }

    private sealed class NotHere : ICommandPolicy
    {
        public Line? Refusal(CommandRequest request, CommandSpec spec) => spec.ChangesState && request.ChannelId != "C0OPS" ? Line.Of("Not here: use ", Spans.Channel("C0OPS"), ".") : null;
    }

    private static CommandRouter Router()
    {
        var services = new ServiceCollection().AddLogging().AddCommandRouting();
        services.AddCommand<SlowCommand>();
        services.AddCommandPolicy<NotHere>();
        return services.BuildServiceProvider().GetRequiredService<CommandRouter>();
    }

    private static CommandRequest Request(string text, string channel = "C0OPS") =>
        new() { Command = "/sb", Text = text, User = new Actor("U1", "alice"), ChannelId = channel };

    [Theory]
    [InlineData("help")]
    [InlineData("")]
    [InlineData("help slow")]
    [InlineData("help nope")]
    [InlineData("nope")]
    [InlineData("slow --unknown")]
    [InlineData("slow \"unclosed")]
    public async Task An_answer_ready_at_once_is_the_one_the_handler_path_gives(string text)
    {
        var router = Router();
        var reply = new RecordingReplyChannel();

        var atOnce = router.Begin(Request(text)).Answer;
        await router.DispatchAsync(Request(text), reply, CancellationToken.None);

        Assert.NotNull(atOnce);
        Assert.Equal(Assert.Single(reply.Responses).Text, atOnce.Text);
    }

    [Fact]
    public void A_refusal_by_a_channel_policy_is_ready_at_once()
    {
        var answer = Router().Begin(Request("slow", channel: "C0ELSEWHERE")).Answer;

        Assert.Equal("Not here: use <#C0OPS>.", answer?.Text.AsMrkdwn());
    }

    [Fact]
    public void A_command_whose_handler_has_to_run_is_not_answered_at_once()
    {
        Assert.Null(Router().Begin(Request("slow")).Answer);
    }
}
