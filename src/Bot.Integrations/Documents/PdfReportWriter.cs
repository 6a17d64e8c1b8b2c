using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Bot.Integrations.Documents;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as a PDF with PDFsharp: A4 pages, the title, each section under its heading (also a
/// bookmark, so a reader's outline lists the sections), its paragraphs wrapped, its table in a fixed-width font, and its
/// charts as images scaled to the page.
/// </summary>
public static class PdfReportWriter
{
    private const double Margin = 40;
    private const double TextSize = 9.5;
    private const double TableSize = 6.5;

    public static byte[] Write(ReportDocument report)
    {
        if (!PdfFonts.Install()) throw new DocumentUnavailableException("No font to embed in the PDF was found on this machine (install fonts-dejavu-core).");
        using var document = new PdfDocument();
        document.Info.Title = report.Title;
        document.Info.Creator = "SecureBase ops bot";
        var writer = new PageWriter(document);
        writer.Text(report.Title, new XFont(PdfFonts.Sans, 16, XFontStyleEx.Bold), 6);
        writer.Text(report.Subtitle, new XFont(PdfFonts.Sans, TextSize), 10);
        foreach (var section in report.Sections)
        {
            writer.Space(8);
            var page = writer.Heading(section.Heading, new XFont(PdfFonts.Sans, 12.5, XFontStyleEx.Bold));
            document.Outlines.Add(section.Heading, page, true);
            foreach (var paragraph in section.Paragraphs) writer.Text(paragraph, new XFont(PdfFonts.Sans, TextSize), 3);
            if (section.Table is { } table)
            {
                writer.Space(4);
                foreach (var row in table.Split('\n')) writer.Line(row.TrimEnd('\r'), new XFont(PdfFonts.Mono, TableSize));
            }
            foreach (var image in section.Images) writer.Image(image);
        }
        writer.Finish();
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>Lays text and images down the page, starting a new page when the next thing does not fit.</summary>
    private sealed class PageWriter(PdfDocument document)
    {
        private PdfPage? _page;
        private XGraphics? _graphics;
        private double _y;

        private double Width => _page!.Width.Point - 2 * Margin;

        public void Space(double points) => _y += points;

        public void Finish() => _graphics?.Dispose();

        public PdfPage Heading(string text, XFont font)
        {
            Ensure(font.GetHeight() * 3);
            Text(text, font, 4);
            return _page!;
        }

        public void Text(string text, XFont font, double after)
        {
            foreach (var line in Wrap(text, font)) Line(line, font);
            _y += after;
        }

        public void Line(string text, XFont font)
        {
            var height = font.GetHeight();
            Ensure(height);
            _graphics!.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
            _y += height;
        }

        public void Image(DocumentImage image)
        {
            using var stream = new MemoryStream(image.Png);
            using var picture = XImage.FromStream(stream);
            var width = Math.Min(Width, picture.PointWidth);
            var height = picture.PointHeight * width / picture.PointWidth;
            Ensure(height + 8);
            _y += 4;
            _graphics!.DrawImage(picture, Margin, _y, width, height);
            _y += height + 4;
        }

        private void Ensure(double height)
        {
            if (_page is not null && _y + height <= _page.Height.Point - Margin) return;
            _graphics?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private IEnumerable<string> Wrap(string text, XFont font)
        {
            Ensure(0);
            foreach (var paragraph in text.Split('\n'))
            {
                var line = "";
                foreach (var word in paragraph.Split(' '))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (line.Length > 0 && _graphics!.MeasureString(candidate, font).Width > Width)
                    {
                        yield return line;
                        line = word;
                    }
                    else line = candidate;
                }
                yield return line;
            }
        }
    }
}
