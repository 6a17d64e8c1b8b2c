using Bot.Commands;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using System.Text;
using System.Text.Json;
using Bot.Integrations.Slack.BlockKit;
using Microsoft.Extensions.DependencyInjection;
using Bot.Workflows.Messages;

namespace Bot.IntegrationTests.Slack;

/// <summary><c>/sb long respond|post</c>: an answer far longer than Slack takes, in the channel.</summary>
public sealed class LongOutputCommand : ICommandHandler
{
    public const int Lines = 6_000;

    public CommandSpec Spec { get; } = new() { Verb = "long", Summary = "Long output (tests).", Usage = "/sb long respond|post", MaxPositionals = 1 };

    public static string FullText => string.Join('\n', Enumerable.Range(1, Lines).Select(i => $"line {i} of the long output"));

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var message = ChatMessage.InChannel(FullText, [new TextBlock(FullText)]);
        return context.Arguments.Positional(0) == "post"
            ? context.Reply.PostAsync(message, null, cancellationToken)
            : context.RespondAsync(message, cancellationToken);
    }
}

/// <summary>Over signed HTTP: what goes back to Slack stays within its limits, and long output is not lost.</summary>
public sealed class SlackMessageBoundsTests : IAsyncLifetime
{
    private SlackBot _bot = null!;

    public async Task InitializeAsync() => _bot = await SlackBot.StartAsync(services: s => s.AddCommand<LongOutputCommand>());

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("help {0}")]
    [InlineData("{0}")]
    [InlineData("health {0}")]
    [InlineData("cost --period {0}")]
    [InlineData("logs {0}")]
    public async Task A_hundred_thousand_characters_of_input_are_echoed_in_a_few_dozen(string template)
    {
        var id = "echo-" + Guid.NewGuid().ToString("N")[..8];

        var answer = await _bot.AnswerAsync(string.Format(template, new string('A', 100_000)), id);
        var text = answer.GetProperty("text").GetString()!;
        Assert.InRange(text.Length, 1, 3_000);
        Assert.Contains("A…", text);
        Assert.DoesNotContain(new string('A', SlackText.EchoLength + 1), text);
    }

    [Fact]
    public async Task A_long_answer_is_cut_to_slacks_limits_and_the_whole_text_follows_as_a_file_in_the_channel()
    {
        await _bot.SlashCommandAsync("long respond", "long");

        var answer = JsonDocument.Parse(Assert.Single(await _bot.Slack.WaitForAsync(r => r.Path == "/response/long")).Body).RootElement;
        var shared = Assert.Single(await _bot.Slack.WaitForAsync(r => r.Path == "/api/files.completeUploadExternal"));
        var upload = Assert.Single(_bot.Slack.Requests, r => r.Path.StartsWith("/upload/", StringComparison.Ordinal));

        Assert.InRange(answer.GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxText);
        Assert.InRange(answer.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxSectionText);
        Assert.Contains($"line {LongOutputCommand.Lines} of the long output", upload.Body);
        Assert.Contains("channel_id=C0OPS", shared.Body);
    }

    [Fact]
    public async Task A_long_post_is_cut_and_the_whole_text_goes_into_its_thread()
    {
        await _bot.SlashCommandAsync("long post", "long-post");

        var post = Assert.Single(await _bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage"));
        var complete = Assert.Single(await _bot.Slack.WaitForAsync(r => r.Path == "/api/files.completeUploadExternal"));
        var upload = Assert.Single(_bot.Slack.Requests, r => r.Path.StartsWith("/upload/", StringComparison.Ordinal));

        var body = JsonDocument.Parse(post.Body).RootElement;
        Assert.InRange(body.GetProperty("text").GetString()!.Length, 1, SlackMessageLimits.MaxText);
        Assert.Contains("thread_ts=", complete.Body);
        Assert.Contains($"line {LongOutputCommand.Lines} of the long output", upload.Body);
    }
}
