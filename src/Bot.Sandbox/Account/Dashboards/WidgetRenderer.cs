using Bot.Sandbox.Account.Metrics;
using ScottPlot;

namespace Bot.Sandbox.Account.Dashboards;

/// <summary>
/// Draws a <see cref="MetricWidget"/> as CloudWatch would for GetMetricWidgetImage: the account's own metric data,
/// aggregated by each line's statistic and period, as lines over time (bars for <c>view: bar</c>, the latest value
/// for <c>singleValue</c>), with the title, legend, y-axis limits and horizontal annotations. PNG bytes.
/// </summary>
internal static class WidgetRenderer
{
    public static byte[] Png(SandboxAccount account, MetricWidget widget)
    {
        var now = account.Time.GetUtcNow();
        using var plot = new Plot();
        var lines = widget.Metrics.Select(m =>
        {
            var series = account.Metrics.Resolve(m.Namespace, m.MetricName, m.Dimensions);
            var points = series is null || !Statistics.IsValid(m.Stat) ? []
                : MetricAggregator.Aggregate(series, widget.Start, widget.End, Math.Max(60, m.Period / 60 * 60), now)
                    .Select(p => (p.Start, Value: Statistics.Value(p.Sample, m.Stat))).ToList();
            return (m.Label, Points: points);
        }).ToList();

        if (widget.View == "singleValue")
        {
            var text = string.Join("\n", lines.Select(l => $"{l.Label}: {(l.Points.Count == 0 ? "–" : l.Points[^1].Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))}"));
            var label = plot.Add.Text(text, 0, 0);
            label.LabelFontSize = 18;
            plot.HideGrid();
            plot.Axes.Frameless();
        }
        else
        {
            var index = 0;
            foreach (var (label, points) in lines)
            {
                var xs = points.Select(p => p.Start.UtcDateTime.ToOADate()).ToArray();
                var ys = points.Select(p => p.Value).ToArray();
                if (widget.View == "bar")
                {
                    var bars = plot.Add.Bars(xs.Select((x, i) => new Bar { Position = x + index * 0.1 * (xs.Length > 1 ? xs[1] - xs[0] : 0), Value = ys[i] }).ToList());
                    bars.LegendText = label;
                }
                else
                {
                    var line = plot.Add.Scatter(xs, ys);
                    line.LegendText = label;
                    line.MarkerSize = xs.Length > 60 ? 0 : 3;
                }
                index++;
            }
            foreach (var (value, text) in widget.Annotations)
            {
                var line = plot.Add.HorizontalLine(value);
                if (text is not null) line.LegendText = text;
            }
            plot.Axes.DateTimeTicksBottom();
            plot.Axes.SetLimitsX(widget.Start.UtcDateTime.ToOADate(), widget.End.UtcDateTime.ToOADate());
            if (widget.YMin is not null || widget.YMax is not null)
                plot.Axes.SetLimitsY(widget.YMin ?? 0, widget.YMax ?? Math.Max(1, lines.SelectMany(l => l.Points).Select(p => p.Value).DefaultIfEmpty(1).Max() * 1.1));
            if (widget.YLabel is not null) plot.YLabel(widget.YLabel);
            if (widget.LegendPosition != "hidden") plot.ShowLegend(widget.LegendPosition == "right" ? Alignment.UpperRight : Alignment.LowerCenter);
        }
        if (widget.Title is not null) plot.Title(widget.Title);
        return plot.GetImageBytes(widget.Width, widget.Height, ImageFormat.Png);
    }
}
