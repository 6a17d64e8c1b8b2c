using Bot.Commands;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Bot.Workflows.Messages;

namespace Bot.IntegrationTests.Slack;

/// <summary><c>/sb deploy-probe</c>: a command that changes something (tests only; the real ones come with the change workflow).</summary>
public sealed class DeployProbeCommand : ICommandHandler
{
    public CommandSpec Spec { get; } = new() { Verb = "deploy-probe", Summary = "Pretends to change production.", Usage = "/sb deploy-probe", ChangesState = true };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.RespondAsync(ChatMessage.InChannel($"deploy-probe ran in {context.Request.ChannelId}"), cancellationToken);
}

/// <summary>
/// Over signed HTTP: commands that change something run only in <c>Slack__OpsChannelId</c> (and not at all
/// without it); read-only ones run where <c>Slack__ReadOnlyCommands</c> allows. A refusal says where to go.
/// </summary>
public sealed class SlackChannelPolicyTests
{
    private static Task<SlackBot> StartAsync(string? ops = "C0OPS", string? readOnly = null) =>
        SlackBot.StartAsync(settings =>
        {
            settings["Slack:OpsChannelId"] = ops;
            settings["Slack:ReadOnlyCommands"] = readOnly;
        }, services => services.AddCommand<DeployProbeCommand>());

    /// <summary>The answer, in the ack (refusals and help are ready at once) or on the response_url.</summary>
    private static Task<JsonElement> AnswerAsync(SlackBot bot, string text, string channel) =>
        bot.AnswerAsync(text, $"{channel}-{Guid.NewGuid():N}"[..20], channel);

    private static string Text(JsonElement answer) => answer.GetProperty("text").GetString()!;

    [Fact]
    public async Task A_change_runs_in_the_ops_channel_and_is_refused_in_another_channel_or_a_dm_with_where_to_run_it()
    {
        await using var bot = await StartAsync();

        var inOps = await AnswerAsync(bot, "deploy-probe", "C0OPS");
        var elsewhere = await AnswerAsync(bot, "deploy-probe", "C0RANDOM");
        var inDm = await AnswerAsync(bot, "deploy-probe", "D0ALICE");

        Assert.Equal("deploy-probe ran in C0OPS", Text(inOps));
        foreach (var refused in new[] { elsewhere, inDm })
        {
            Assert.Equal("ephemeral", refused.GetProperty("response_type").GetString());
            Assert.Contains("<#C0OPS>", Text(refused));
            Assert.DoesNotContain("ran in", Text(refused));
        }
    }

    [Fact]
    public async Task Without_an_ops_channel_a_change_is_refused_everywhere_and_the_answer_says_it_must_be_configured()
    {
        await using var bot = await StartAsync(ops: null);

        var refused = await AnswerAsync(bot, "deploy-probe", "C0OPS");

        Assert.Contains("Slack__OpsChannelId", Text(refused));
        Assert.DoesNotContain("ran in", Text(refused));
    }

    [Fact]
    public async Task Read_only_commands_run_anywhere_by_default()
    {
        await using var bot = await StartAsync();

        Assert.Contains("SecureBase ops bot commands", Text(await AnswerAsync(bot, "help", "D0ALICE")));
        Assert.DoesNotContain("<#C0OPS>", Text(await AnswerAsync(bot, "audit verify", "C0RANDOM")));
    }

    [Fact]
    public async Task Read_only_commands_can_be_kept_to_the_ops_channel()
    {
        await using var bot = await StartAsync(readOnly: "ops-channel");

        Assert.Contains("SecureBase ops bot commands", Text(await AnswerAsync(bot, "help", "C0OPS")));
        Assert.Contains("<#C0OPS>", Text(await AnswerAsync(bot, "help", "C0RANDOM")));
    }

    [Fact]
    public async Task Read_only_commands_can_be_kept_to_a_list_of_channels_and_changes_still_need_the_ops_channel()
    {
        await using var bot = await StartAsync(readOnly: "C0TEAM,C0ONCALL");

        Assert.Contains("Audit chain intact", Text(await AnswerAsync(bot, "audit verify", "C0ONCALL")));
        Assert.Contains("<#C0TEAM>", Text(await AnswerAsync(bot, "audit verify", "C0RANDOM")));
        Assert.Contains("<#C0OPS>", Text(await AnswerAsync(bot, "deploy-probe", "C0TEAM")));
    }
}
