using Bot.Commands.Tests.Security;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Bot.Commands.Tests.Reports;

/// <summary><c>/sb report monthly</c>: KPIs, performance, capacity planning, cost forecast and optimization, security; a PDF and Markdown.</summary>
public sealed class MonthlyReviewTests : IAsyncLifetime
{
    private SecuritySandbox _sb = null!;

    public async Task InitializeAsync() => _sb = await ReviewSandbox.StartAsync();
    public async Task DisposeAsync() => await _sb.DisposeAsync();

    private static readonly string[] Sections =
        ["KPIs", "Lambda functions", "DynamoDB tables", "API Gateway", "Cost", "The bot's operations", "Capacity planning", "Cost forecast", "Cost optimization", "Security"];

    [Fact]
    public async Task Posted_it_has_every_section_and_its_pdf_parses_with_each_section_and_each_chart()
    {
        var reply = await _sb.RunAsync("report monthly --post");

        var posts = reply.Posts.ToList();
        Assert.Contains("Monthly operations review, prod, February 2026", posts[0].Message.Text.ToPlainText());
        Assert.Equal(Sections.Length, posts.Count(p => p.ThreadTs == posts[0].Ts && Sections.Any(s => p.Message.Text.ToPlainText().StartsWith($":white_check_mark: {s}\n", StringComparison.Ordinal) ||
            p.Message.Text.ToPlainText().StartsWith($":warning: {s}\n", StringComparison.Ordinal))));
        var charts = reply.Uploads.Where(u => u.File.FileName.EndsWith(".png", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, charts.Count);
        var pdf = reply.Uploads.Single(u => u.File.FileName == "monthly_report_202602.pdf").File.Content;
        Assert.Single(reply.Uploads, u => u.File.FileName == "monthly_report_202602.md");

        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(["Summary", "Actions", .. Sections], document.Outlines.Select(o => o.Title));
        Assert.Equal(charts.Count, document.Pages.Cast<PdfPage>().Sum(ImagesOn));
        Assert.Equal("Monthly operations review, prod, February 2026", document.Info.Title);
    }

    [Fact]
    public async Task Capacity_planning_forecasts_six_months_and_cost_optimization_lists_the_planted_cases()
    {
        var text = (await _sb.RunAsync("report monthly")).All();

        foreach (var month in new[] { "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08" })
            Assert.Matches($@"\n{month} +[\d.]+ GB \(", text);
        Assert.Contains("Forecast from the last 90 days", text);
        Assert.Contains("Lambda: right-size memory allocation: 3 found", text);
        Assert.Contains("DynamoDB: remove unused indexes: 1 found", text);
        Assert.Contains("S3: lifecycle policies present and working: 1 found", text);
        Assert.Contains("CloudWatch Logs: retention: 1 found", text);
        Assert.Contains("Cost Explorer expects", text);
        Assert.Matches(@"Execution success rate: \d+\.\d\d %", text);
    }

    private static int ImagesOn(PdfPage page)
    {
        var objects = page.Resources.Elements.GetDictionary("/XObject");
        return objects is null ? 0 : objects.Elements.Values.Select(v => (v as PdfSharp.Pdf.Advanced.PdfReference)?.Value as PdfDictionary)
            .Count(d => d?.Elements.GetName("/Subtype") == "/Image");
    }
}
