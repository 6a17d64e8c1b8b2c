using Bot.Integrations.Charts;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;

namespace Bot.Shell;

/// <summary>
/// The domain's chat port in the shell: outbox messages (change cards, incident threads) are printed as Slack lays them
/// out (<see cref="ShellRenderer"/>: cards with numbered buttons). Also prints scheduled reports.
/// </summary>
public sealed class ShellChat(ShellTerminal terminal) : IChat, IChannelPoster
{
    public Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken)
    {
        if (content.Chart is { } chart && ChartImage.TryDraw(chart) is { } png)
        {
            var path = terminal.SaveFile(new ChatFile(chart.FileName, chart.Title, png));
            var where = threadTs is null ? $"#{channel}" : $"#{channel}, thread {threadTs}";
            terminal.Line($"sb uploaded \"{chart.Title}\" to {where}; saved as {path}");
            terminal.Line("");
            return Task.FromResult(threadTs ?? terminal.NextTs());
        }
        var ts = terminal.NextTs();
        var label = threadTs is null ? $"sb in #{channel} (message {ts}):" : $"sb in #{channel}, thread {threadTs} (message {ts}){(content.AlsoToChannel ? ", also sent to the channel" : "")}:";
        terminal.Message(label, content, channel, ts);
        return Task.FromResult(ts);
    }

    public Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken)
    {
        terminal.Message($"sb edited message {ts} in #{channel}:", content, channel, ts);
        return Task.CompletedTask;
    }

    public Task<PostedMessage> PostAsync(string channel, ChatMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        var ts = terminal.NextTs();
        var label = threadTs is null ? $"sb in #{channel} (message {ts}):" : $"sb in #{channel}, thread {threadTs} (message {ts}):";
        terminal.Message(label, message, channel, ts);
        return Task.FromResult(new PostedMessage(channel, ts));
    }

    public Task UploadAsync(string channel, ChatFile file, string? threadTs, CancellationToken cancellationToken)
    {
        var path = terminal.SaveFile(file);
        terminal.Line($"sb uploaded \"{file.Title}\" to {(threadTs is null ? $"#{channel}" : $"#{channel}, thread {threadTs}")}; saved as {path}");
        terminal.Line("");
        return Task.CompletedTask;
    }
}
