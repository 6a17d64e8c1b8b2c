using System.Text.Json;
using Bot.Commands.Slack.BlockKit;
using Bot.Workflows.Ports;

namespace Bot.Shell;

/// <summary>The domain's chat port in the shell: outbox messages (approval requests, incident threads) are printed.</summary>
public sealed class ShellChat(ShellTerminal terminal) : IChat
{
    public Task<string> PostAsync(string channel, string text, string? blocksJson, string? threadTs, CancellationToken cancellationToken)
    {
        var ts = terminal.NextTs();
        var label = threadTs is null ? $"sb in #{channel} (message {ts}):" : $"sb in #{channel}, thread {threadTs} (message {ts}):";
        terminal.Message(label, text, Blocks(blocksJson), channel, ts);
        return Task.FromResult(ts);
    }

    public Task UpdateAsync(string channel, string ts, string text, string? blocksJson, CancellationToken cancellationToken)
    {
        terminal.Message($"sb edited message {ts} in #{channel}:", text, Blocks(blocksJson), channel, ts);
        return Task.CompletedTask;
    }

    // Blocks the model does not know still leave the fallback text to show.
    private static IReadOnlyList<Block> Blocks(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return BlockKitJson.Deserialize(json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return [];
        }
    }
}
