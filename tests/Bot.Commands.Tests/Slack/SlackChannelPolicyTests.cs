using Bot.Testing.Slack;
using Bot.Testing;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Tests.Slack;

public class SlackChannelPolicyTests
{
    private const string Ops = "C0OPS";

    private static readonly CommandSpec Change = new() { Verb = "deploy", Summary = "s", Usage = "/sb deploy", ChangesState = true };
    private static readonly CommandSpec Read = new() { Verb = "logs", Summary = "s", Usage = "/sb logs" };

    private static string? Refusal(CommandSpec spec, string channel, string? ops = Ops, string? readOnly = null, Transport transport = Transport.Slack)
    {
        var options = new SlackOptions { OpsChannelId = ops, ReadOnlyCommands = readOnly ?? SlackChannelPolicy.Anywhere };
        var policy = new SlackChannelPolicy(new TestMonitor(options));
        return policy.Refusal(new CommandRequest { Command = "/sb", Text = spec.Verb, User = new Actor("U1", "alice"), ChannelId = channel, Transport = transport }, spec)?.AsMrkdwn();
    }

    private sealed class TestMonitor(SlackOptions value) : IOptionsMonitor<SlackOptions>
    {
        public SlackOptions CurrentValue => value;
        public SlackOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<SlackOptions, string?> listener) => null;
    }

    [Fact]
    public void A_change_runs_in_the_ops_channel() => Assert.Null(Refusal(Change, Ops));

    [Theory]
    [InlineData("C0OTHER")]
    [InlineData("D0ALICE")]
    [InlineData("G0PRIVATE")]
    public void A_change_anywhere_else_is_refused_with_where_to_run_it(string channel)
    {
        var refusal = Refusal(Change, channel);

        Assert.NotNull(refusal);
        Assert.Contains("<#C0OPS>", refusal);
        Assert.Contains("`/sb deploy`", refusal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_an_ops_channel_a_change_is_refused_everywhere_and_says_what_to_configure(string? ops)
    {
        var refusal = Refusal(Change, "C0ANY", ops);

        Assert.NotNull(refusal);
        Assert.Contains("Slack__OpsChannelId", refusal);
    }

    [Theory]
    [InlineData("C0OTHER")]
    [InlineData("D0ALICE")]
    public void A_read_runs_anywhere_by_default(string channel) => Assert.Null(Refusal(Read, channel));

    [Fact]
    public void With_ops_channel_only_a_read_elsewhere_is_refused_with_where_to_run_it()
    {
        Assert.Null(Refusal(Read, Ops, readOnly: "ops-channel"));
        Assert.Contains("<#C0OPS>", Refusal(Read, "C0OTHER", readOnly: "ops-channel"));
        Assert.Contains("Slack__OpsChannelId", Refusal(Read, "C0OTHER", ops: null, readOnly: "ops-channel"));
    }

    [Fact]
    public void With_a_list_a_read_runs_in_the_listed_channels_and_the_ops_channel_only()
    {
        const string list = "C0ONE, C0TWO";

        Assert.Null(Refusal(Read, "C0ONE", readOnly: list));
        Assert.Null(Refusal(Read, "C0TWO", readOnly: list));
        Assert.Null(Refusal(Read, Ops, readOnly: list));
        var refusal = Refusal(Read, "C0OTHER", readOnly: list);
        Assert.Contains("<#C0ONE>", refusal);
        Assert.Contains("<#C0TWO>", refusal);
    }

    [Fact]
    public void The_shell_is_its_own_ops_channel() => Assert.Null(Refusal(Change, "shell", ops: null, transport: Transport.Shell));

    [Theory]
    [InlineData("anywhere", true)]
    [InlineData("ops-channel", true)]
    [InlineData("C0ONE,C0TWO", true)]
    [InlineData("C0ONE G0TWO D0THREE", true)]
    [InlineData("everywhere", false)]
    [InlineData("#securebase-ops", false)]
    [InlineData("<!here>", false)]
    [InlineData(",", false)]
    public void The_setting_is_anywhere_ops_channel_or_channel_ids(string value, bool valid) =>
        Assert.Equal(valid, SlackChannelPolicy.IsValidSetting(value));
}
