using ScottPlot;

namespace Bot.Integrations.Charts;

/// <summary>A time series to draw.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double> Values);

/// <summary>A shaded range to draw behind the series (a forecast's band).</summary>
public sealed record ChartBandSeries(string Label, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper);

/// <summary>
/// PNG charts with ScottPlot. Drawing needs SkiaSharp's native library and a font; when those are
/// missing the caller gets a <see cref="ChartUnavailableException"/> and answers in text alone.
/// </summary>
public static class ChartRenderer
{
    public const int Width = 900;
    public const int Height = 420;

    public static byte[] Lines(string title, string yLabel, IReadOnlyList<ChartSeries> series, ChartBandSeries? band = null) => Render(plot =>
    {
        if (band is { Times.Count: > 1 })
        {
            var fill = plot.Add.FillY(band.Times.Select(t => t.UtcDateTime.ToOADate()).ToArray(), band.Lower.ToArray(), band.Upper.ToArray());
            fill.LegendText = band.Label;
            fill.FillColor = Colors.SteelBlue.WithAlpha(0.2);
            fill.LineWidth = 0;
        }
        foreach (var s in series.Where(s => s.Times.Count > 0))
        {
            var points = s.Times.Zip(s.Values).OrderBy(p => p.First).ToList();
            var xs = points.Select(p => p.First.UtcDateTime.ToOADate()).ToArray();
            var ys = points.Select(p => p.Second).ToArray();
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = s.Label;
            scatter.MarkerSize = xs.Length > 60 ? 0 : 4;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.YLabel(yLabel);
        if (series.Count > 1 || band is not null) plot.ShowLegend(Alignment.UpperLeft);
    });

    /// <summary>
    /// A series against the same period earlier (dashed), with some of its points marked (e.g. spikes): the failed-login
    /// view's hours against the previous week's same hours.
    /// </summary>
    public static byte[] Comparison(string title, string yLabel, IReadOnlyList<DateTimeOffset> times, ChartSeries current, ChartSeries earlier,
        IReadOnlyList<int> marked, string markedLabel) => Render(plot =>
    {
        var xs = times.Select(t => t.UtcDateTime.ToOADate()).ToArray();
        var before = plot.Add.Scatter(xs, earlier.Values.ToArray());
        before.LegendText = earlier.Label;
        before.LinePattern = LinePattern.Dashed;
        before.Color = Colors.Gray;
        before.MarkerSize = 0;
        var now = plot.Add.Scatter(xs, current.Values.ToArray());
        now.LegendText = current.Label;
        now.Color = Colors.SteelBlue;
        now.MarkerSize = xs.Length > 60 ? 0 : 4;
        if (marked.Count > 0)
        {
            var spikes = plot.Add.Scatter(marked.Select(i => xs[i]).ToArray(), marked.Select(i => current.Values[i]).ToArray());
            spikes.LegendText = markedLabel;
            spikes.LineWidth = 0;
            spikes.MarkerSize = 10;
            spikes.MarkerShape = MarkerShape.FilledTriangleUp;
            spikes.Color = Colors.Red;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
    });

    public static byte[] DailyBars(string title, string yLabel, IReadOnlyList<(DateOnly Day, double Value)> days) => Render(plot =>
    {
        var bars = days.Select((d, i) => new Bar { Position = i, Value = d.Value, FillColor = Colors.SteelBlue }).ToList();
        plot.Add.Bars(bars);
        var step = Math.Max(1, days.Count / 10);
        var ticks = days.Select((d, i) => (i, d.Day)).Where(t => t.i % step == 0)
            .Select(t => new Tick(t.i, t.Day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
    });

    /// <summary>One bar per label, labels under the bars (e.g. each step of a DR drill).</summary>
    public static byte[] LabelledBars(string title, string yLabel, IReadOnlyList<(string Label, double Value)> bars) => Render(plot =>
    {
        plot.Add.Bars(bars.Select((b, i) => new Bar { Position = i, Value = b.Value, FillColor = i % 2 == 0 ? Colors.SteelBlue : Colors.SeaGreen }).ToList());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(bars.Select((b, i) => new Tick(i, b.Label)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -20;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
    });

    private static byte[] Render(Action<Plot> draw)
    {
        try
        {
            using var plot = new Plot();
            draw(plot);
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException or NullReferenceException)
        {
            throw new ChartUnavailableException(e);
        }
    }
}

/// <summary>The chart could not be drawn on this machine (native graphics library or fonts missing).</summary>
public sealed class ChartUnavailableException(Exception inner) : Exception("The chart could not be drawn: " + inner.Message, inner);
