using Bot.Commands.Routing;
using Microsoft.Extensions.Logging;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud;

/// <summary>
/// Extra material for an answer (details that did not fit, a chart): a short anchor message is
/// posted into the conversation and the material goes into its thread. If the bot cannot post
/// there (not invited, say), the material falls back to the response URL / a plain upload, and
/// the person is told if even that fails.
/// </summary>
public static class ThreadFollowUp
{
    public static async Task PostAsync(IReplyChannel reply, ChatMessage anchor, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ChatFile> files,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (messages.Count == 0 && files.Count == 0) return;
        try
        {
            var parent = await reply.PostAsync(anchor, null, cancellationToken);
            foreach (var message in messages) await reply.PostAsync(message, parent.Ts, cancellationToken);
            foreach (var file in files) await reply.UploadFileAsync(file, parent.Ts, cancellationToken);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not post follow-up into a thread; falling back to the response URL");
        }

        try
        {
            foreach (var message in messages) await reply.RespondAsync(message with { Ephemeral = false }, cancellationToken);
            foreach (var file in files) await reply.UploadFileAsync(file, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not deliver follow-up at all");
            await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of(Emoji("warning"),
                " I could not post the details/chart into this conversation. Invite the bot to the channel (", Code("/invite @SecureBase Ops"), ") and try again.")),
                cancellationToken);
        }
    }
}
