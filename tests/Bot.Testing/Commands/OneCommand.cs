using Bot.Testing;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Workflows.Ports;
using Bot.Integrations.Slack;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Testing.Commands;

/// <summary>
/// Runs <c>/sb &lt;text&gt;</c> through the router with only <paramref name="handler"/> registered, from the shell, and returns
/// the one answer's text as Slack gets it (mrkdwn, escaped). With <paramref name="directory"/>, the pipeline checks the roles a verb declares against it.
/// </summary>
public static class OneCommand
{
    public static async Task<string> RunAsync(ICommandHandler handler, string text, IDirectory? directory = null)
    {
        var router = new CommandRouter([handler], NullLogger<CommandRouter>.Instance, directory is null ? [] : [new RoleCheck(new RoleGate(directory))]);
        var reply = new RecordingReplyChannel();
        await router.DispatchAsync(new CommandRequest { Command = "/sb", Text = text, User = new Actor("U1", "ana"), ChannelId = "C1", Transport = Transport.Shell }, reply, CancellationToken.None);
        return SlackMrkdwn.Render(Assert.Single(reply.Responses).Text);
    }
}
