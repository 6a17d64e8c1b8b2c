namespace Bot.Integrations.Documents;

/// <summary>An image of a document section (a chart): its title and PNG.</summary>
public sealed record DocumentImage(string Title, byte[] Png);

/// <summary>A section of a document: a heading, paragraphs, an optional fixed-width table, and images.</summary>
public sealed record DocumentSection(string Heading, IReadOnlyList<string> Paragraphs)
{
    public string? Table { get; init; }
    public IReadOnlyList<DocumentImage> Images { get; init; } = [];
}

/// <summary>A report as a document (the monthly review's PDF): a title, a subtitle, and its sections in order.</summary>
public sealed record ReportDocument(string Title, string Subtitle, IReadOnlyList<DocumentSection> Sections);

/// <summary>The document could not be made on this machine (no font to embed).</summary>
public sealed class DocumentUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
