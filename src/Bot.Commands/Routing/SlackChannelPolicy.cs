using System.Text.RegularExpressions;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Routing;

/// <summary>
/// Where a Slack command may run. A command that changes something (<see cref="CommandSpec.ChangesState"/>)
/// runs only in <c>Slack__OpsChannelId</c>, so the team sees every production change and its cards land
/// there; without that setting it runs nowhere (fail closed). A read-only command runs where
/// <c>Slack__ReadOnlyCommands</c> says: <c>anywhere</c> (default), <c>ops-channel</c>, or a list of channel ids
/// (plus the ops channel). A refusal names the channel(s) to use. The shell is one conversation standing in
/// for the ops channel, so its requests are not checked here.
/// </summary>
public sealed partial class SlackChannelPolicy(IOptionsMonitor<SlackOptions> options) : ICommandPolicy
{
    public const string Anywhere = SlackOptions.Anywhere;
    public const string OpsChannelOnly = "ops-channel";

    public Line? Refusal(CommandRequest request, CommandSpec spec)
    {
        if (request.Transport != Transport.Slack) return null;
        var current = options.CurrentValue;
        var ops = string.IsNullOrWhiteSpace(current.OpsChannelId) ? null : current.OpsChannelId.Trim();
        var command = Code($"{CommandRouter.SlashCommand} {spec.Verb}");

        if (spec.ChangesState)
        {
            if (ops is null) return NoOpsChannel(command, "changes production");
            return request.ChannelId == ops
                ? null
                : Line.Of(Emoji("no_entry"), " ", command, " changes production, so it runs only in ", Mention(ops), ", where the team sees every change. Run it there.");
        }

        var setting = (current.ReadOnlyCommands ?? "").Trim();
        if (setting.Length == 0 || setting.Equals(Anywhere, StringComparison.OrdinalIgnoreCase)) return null;
        if (setting.Equals(OpsChannelOnly, StringComparison.OrdinalIgnoreCase))
        {
            if (ops is null) return NoOpsChannel(command, "is kept to the ops channel here");
            return request.ChannelId == ops ? null : Line.Of(Emoji("no_entry"), " ", command, " runs only in ", Mention(ops), " here. Run it there.");
        }
        var allowed = ChannelIds(setting).Concat(ops is null ? [] : [ops]).Distinct().ToList();
        return allowed.Contains(request.ChannelId)
            ? null
            : Line.Of(Emoji("no_entry"), " ", command, " runs only in ", Line.Join(", ", allowed.Select(Mention)), " here. Run it there.");
    }

    /// <summary>Whether <paramref name="value"/> is a setting for <c>Slack__ReadOnlyCommands</c> this policy understands.</summary>
    public static bool IsValidSetting(string? value)
    {
        var setting = (value ?? "").Trim();
        if (setting.Length == 0 || setting.Equals(Anywhere, StringComparison.OrdinalIgnoreCase) || setting.Equals(OpsChannelOnly, StringComparison.OrdinalIgnoreCase)) return true;
        var ids = ChannelIds(setting).ToList();
        return ids.Count > 0 && ids.All(IsChannelId);
    }

    /// <summary>A Slack conversation id: public (C…), private (G…) or direct (D…).</summary>
    public static bool IsChannelId(string value) => ChannelId().IsMatch(value);

    private static IEnumerable<string> ChannelIds(string setting) =>
        setting.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Line Mention(string channelId) => IsChannelId(channelId) ? Line.Of(Channel(channelId)) : Line.Of(Value(channelId));

    private static Line NoOpsChannel(CodeSpan command, string what) =>
        Line.Of(Emoji("no_entry"), " ", command, $" {what}, but this bot has no ops channel: ", Code("Slack__OpsChannelId"), " must be configured. " +
            "Ask whoever runs the bot to set it to the id of #securebase-ops.");

    [GeneratedRegex("^[CGD][A-Z0-9]{2,30}$")]
    private static partial Regex ChannelId();
}
