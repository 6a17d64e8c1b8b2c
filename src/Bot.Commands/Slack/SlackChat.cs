using System.Text.Json;
using Bot.Commands.Slack.WebApi;
using Bot.Workflows.Ports;

namespace Bot.Commands.Slack;

/// <summary>
/// The domain's <see cref="IChat"/> over <c>chat.postMessage</c> / <c>chat.update</c>. Failures come
/// back in the port's terms so the outbox can decide: a long 429 → <see cref="ChatRateLimitedException"/>,
/// 5xx and timeouts → transient <see cref="ChatDeliveryException"/>, Slack's <c>ok:false</c> → permanent
/// one with Slack's error code.
/// </summary>
public sealed class SlackChat(SlackWebApiClient slack) : IChat
{
    public async Task<string> PostAsync(string channel, string text, string? blocksJson, string? threadTs, CancellationToken cancellationToken)
    {
        var blocks = ParseBlocks(blocksJson);
        return await Translate(async () => (await slack.PostMessageJsonAsync(channel, text, blocks, threadTs, cancellationToken)).Ts);
    }

    public async Task UpdateAsync(string channel, string ts, string text, string? blocksJson, CancellationToken cancellationToken)
    {
        var blocks = ParseBlocks(blocksJson);
        await Translate(async () =>
        {
            await slack.UpdateMessageJsonAsync(channel, ts, text, blocks, cancellationToken);
            return ts;
        });
    }

    private static JsonElement? ParseBlocks(string? blocksJson)
    {
        if (string.IsNullOrWhiteSpace(blocksJson)) return null;
        try
        {
            using var doc = JsonDocument.Parse(blocksJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new ChatDeliveryException("invalid_blocks", transient: false);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ChatDeliveryException("invalid_blocks", transient: false, e);
        }
    }

    private static async Task<string> Translate(Func<Task<string>> call)
    {
        try
        {
            return await call();
        }
        catch (SlackRateLimitedException e)
        {
            throw new ChatRateLimitedException(e.RetryAfter);
        }
        catch (SlackApiException e)
        {
            throw new ChatDeliveryException(e.ErrorCode, e.Transient, e);
        }
    }
}
