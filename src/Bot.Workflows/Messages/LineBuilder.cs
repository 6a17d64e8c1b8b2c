namespace Bot.Workflows.Messages;

/// <summary>Builds a <see cref="Line"/> piece by piece, as a <see cref="System.Text.StringBuilder"/> builds a string.</summary>
public sealed class LineBuilder
{
    private readonly List<Span> _spans = [];

    public LineBuilder(params object?[] parts) => Add(parts);

    /// <summary>Whether nothing was added yet.</summary>
    public bool IsEmpty => _spans.Count == 0;

    /// <summary>Adds <paramref name="parts"/> as <see cref="Line.Of"/> reads them: strings as text, spans and lines as they are.</summary>
    public LineBuilder Add(params object?[] parts)
    {
        _spans.AddRange(Line.Of(parts).Spans);
        return this;
    }

    /// <summary>Adds <paramref name="parts"/> and a line break after them.</summary>
    public LineBuilder AddLine(params object?[] parts) => Add(parts).Add("\n");

    public Line ToLine() => new(_spans.ToList());

    public static implicit operator Line(LineBuilder builder) => builder.ToLine();
}
