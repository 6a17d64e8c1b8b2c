using System.Text;
using Bot.Integrations.Documents;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// A review as files for its thread: the Markdown (every review) and the PDF (the monthly review: the procedures'
/// <c>monthly_report_YYYYMM.pdf</c>), with the charts drawn for the messages. A PDF this machine cannot make (no font) is
/// left out and logged; the Markdown still goes.
/// </summary>
public sealed class ReviewDocuments(ILogger<ReviewDocuments> logger)
{
    public IReadOnlyList<ChatFile> Files(Review review, IReadOnlyDictionary<Chart, byte[]> charts)
    {
        var stem = ReviewPublisher.Stem(review);
        var names = charts.ToDictionary(c => c.Key, c => c.Key.FileName);
        var files = new List<ChatFile>
        {
            new($"{stem}.md", $"{review.Title} (Markdown)", Encoding.UTF8.GetBytes(ReviewMarkdown.Render(review, names))),
        };
        if (review.Kind != ReviewKind.Monthly) return files;
        try
        {
            files.Add(new ChatFile($"{stem}.pdf", $"{review.Title} (PDF)", PdfReportWriter.Write(Document(review, charts))));
        }
        catch (DocumentUnavailableException e)
        {
            logger.LogWarning(e, "The PDF of {Review} could not be made", review.Title);
        }
        return files;
    }

    /// <summary>The review as a document: a summary section, the actions, then each section with its lines, table and charts.</summary>
    public static ReportDocument Document(Review review, IReadOnlyDictionary<Chart, byte[]> charts)
    {
        var sections = new List<DocumentSection>
        {
            new("Summary", review.Sections.Select(s => $"{s.Title}: {ReviewText.Health(s.Health)}" + (s.Problem is null ? "" : $" ({s.Problem})")).ToList()),
            new("Actions", review.Actions.Count == 0 ? ["None."]
                : review.Actions.GroupBy(a => a.Area).OrderBy(g => g.Key).SelectMany(g => g.Select(a => $"{ReviewMessages.AreaTitle(g.Key)}: {ReviewText.Plain(a.Text)}")).ToList()),
        };
        sections.AddRange(review.Sections.Select(s => new DocumentSection(s.Title, s.Lines.Select(ReviewText.Plain).ToList())
        {
            Table = s.Table,
            Images = s.Charts.Where(charts.ContainsKey).Select(c => new DocumentImage(c.Title, charts[c])).ToList(),
        }));
        return new ReportDocument(review.Title,
            $"Built {review.BuiltAt:yyyy-MM-dd HH:mm} UTC for {review.Window.Start:yyyy-MM-dd} to {review.Window.End.AddDays(-1):yyyy-MM-dd}, against the {review.Window.Length.TotalDays:0} days before.",
            sections);
    }
}
