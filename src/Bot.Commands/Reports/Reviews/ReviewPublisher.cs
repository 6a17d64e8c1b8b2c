using System.Globalization;
using Bot.Commands.Routing;
using Bot.Integrations.Charts;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// Posts a review into a conversation: the summary, then in its thread each section with its charts (drawn here; a chart this
/// machine cannot draw is left out and said), and the review as documents: Markdown always, and the PDF for the monthly
/// review (the procedures' <c>monthly_report_YYYYMM.pdf</c>). A failing upload is logged and the rest still goes.
/// </summary>
public sealed class ReviewPublisher(ReviewDocuments documents, ILogger<ReviewPublisher> logger)
{
    public async Task<PostedMessage> PostAsync(IReplyChannel reply, Review review, Line? prefix, CancellationToken cancellationToken)
    {
        var summary = ReviewMessages.Summary(review);
        if (prefix is not null)
            summary = summary with
            {
                Text = Line.Of(prefix, summary.Text),
                Blocks = [.. summary.Blocks.Select((b, i) => i == 0 && b is TextBlock t ? t with { Text = Line.Of(prefix, t.Text) } : b)],
            };
        var posted = await reply.PostAsync(summary, null, cancellationToken);
        var drawn = new Dictionary<Chart, ChatFile>();
        foreach (var section in review.Sections)
        {
            await reply.PostAsync(ReviewMessages.Section(section), posted.Ts, cancellationToken);
            foreach (var chart in section.Charts)
            {
                if (ChartImage.TryDraw(chart) is not { } png) continue;
                var file = new ChatFile(ChartFileName(chart), chart.Title, png);
                drawn[chart] = file;
                await UploadAsync(reply, file, posted.Ts, cancellationToken);
            }
        }
        var missing = review.Sections.Sum(s => s.Charts.Count) - drawn.Count;
        if (missing > 0)
            await reply.PostAsync(ChatMessage.InChannel(Line.Of(Spans.Emoji("warning"), $" {missing} chart(s) could not be drawn on this server (no graphics library or fonts, or no data); the figures above are complete.")), posted.Ts, cancellationToken);
        foreach (var file in documents.Files(review, drawn.ToDictionary(d => d.Key, d => d.Value.Content)))
            await UploadAsync(reply, file, posted.Ts, cancellationToken);
        return posted;
    }

    public static string ChartFileName(Chart chart) => chart.FileName;

    /// <summary>The review's file name stem: <c>weekly_report_20260302</c>, <c>monthly_report_202602</c>.</summary>
    public static string Stem(Review review) => review.Kind == ReviewKind.Weekly
        ? "weekly_report_" + review.Window.End.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
        : "monthly_report_" + review.Window.Start.ToString("yyyyMM", CultureInfo.InvariantCulture);

    private async Task UploadAsync(IReplyChannel reply, ChatFile file, string threadTs, CancellationToken cancellationToken)
    {
        try
        {
            await reply.UploadFileAsync(file, threadTs, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not upload {File} of a review", file.FileName);
        }
    }
}
