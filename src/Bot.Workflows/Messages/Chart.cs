namespace Bot.Workflows.Messages;

/// <summary>One line of a chart: a label and its points in time.</summary>
public sealed record ChartLine(string Label, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double> Values);

/// <summary>
/// A chart a workflow wants shown with a message (e.g. an incident's error metrics of the last hour). Transports draw
/// it: Slack uploads it as an image in the thread, the shell saves it as a file. Data only, no drawing here.
/// </summary>
public sealed record Chart(string Title, string YLabel, IReadOnlyList<ChartLine> Lines)
{
    /// <summary>Instead of lines over time: labelled bars (e.g. how long each step of a DR drill took).</summary>
    public IReadOnlyList<ChartBar> Bars { get; init; } = [];

    /// <summary>A shaded range drawn behind the lines (e.g. a forecast's uncertainty band).</summary>
    public ChartBand? Band { get; init; }

    /// <summary>A file name for the image, from the title.</summary>
    public string FileName => new string(Title.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-') + ".png";
}

/// <summary>One bar of a bar chart: a label and its value.</summary>
public sealed record ChartBar(string Label, double Value);

/// <summary>A shaded range over time: between <see cref="Lower"/> and <see cref="Upper"/> at each of <see cref="Times"/>.</summary>
public sealed record ChartBand(string Label, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper);
