using Bot.Workflows.Messages;

namespace Bot.Integrations.Charts;

/// <summary>Draws a workflow's <see cref="Chart"/> as a PNG.</summary>
public static class ChartImage
{
    /// <summary>The PNG, or null when there is nothing to draw or this machine cannot draw (the text is sent alone then).</summary>
    public static byte[]? TryDraw(Chart chart)
    {
        if (chart.Bars.Count > 0) return TryDrawBars(chart);
        var series = chart.Lines.Where(l => l.Times.Count > 0).Select(l => new ChartSeries(l.Label, l.Times, l.Values)).ToList();
        if (series.Count == 0) return null;
        try
        {
            return ChartRenderer.Lines(chart.Title, chart.YLabel, series,
                chart.Band is { } b ? new ChartBandSeries(b.Label, b.Times, b.Lower, b.Upper) : null);
        }
        catch (ChartUnavailableException)
        {
            return null;
        }
    }

    private static byte[]? TryDrawBars(Chart chart)
    {
        try
        {
            return ChartRenderer.LabelledBars(chart.Title, chart.YLabel, chart.Bars.Select(b => (b.Label, b.Value)).ToList());
        }
        catch (ChartUnavailableException)
        {
            return null;
        }
    }
}
