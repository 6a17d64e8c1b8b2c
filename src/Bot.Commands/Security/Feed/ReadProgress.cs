using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Feed;

/// <summary>
/// Progress of a long read in the conversation: one message, posted at the first report and edited every
/// <see cref="EditEvery"/> pages and at the end. If the bot cannot post there, the read goes on without it.
/// </summary>
public sealed class ReadProgress(IReplyChannel reply, Line what, ILogger logger)
{
    public const int EditEvery = 5;
    private PostedMessage? _message;
    private bool _failed;

    public async Task ReportAsync(FeedProgress p)
    {
        if (_failed || (_message is not null && p.Pages % EditEvery != 0)) return;
        await SendAsync(Line.Of(Emoji("hourglass_flowing_sand"), " ", what, $": {p.Scanned:N0} of about {p.ApproximateTotal:N0} item(s) read ({p.Pages} page(s))…"));
    }

    public async Task DoneAsync(FeedReadResult result)
    {
        if (_message is null || _failed) return;
        await SendAsync(Line.Of(Emoji(result.Capped ? "warning" : "white_check_mark"), " ", what, $": {result.Scanned:N0} item(s) read in {result.Pages} page(s)",
            result.Capped ? " — stopped at the cap" : "", "."));
    }

    private async Task SendAsync(Line text)
    {
        try
        {
            if (_message is null) _message = await reply.PostAsync(ChatMessage.InChannel(text), null, CancellationToken.None);
            else await reply.UpdateAsync(_message, ChatMessage.InChannel(text), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = true;
            logger.LogWarning(e, "Could not show the progress of a read; it goes on without");
        }
    }
}
