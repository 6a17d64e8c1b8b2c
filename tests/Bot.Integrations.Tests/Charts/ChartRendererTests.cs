using Bot.Testing;
using Bot.Integrations.Charts;

namespace Bot.Integrations.Tests.Charts;

public sealed class ChartRendererTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Daily_bars_render_to_a_PNG()
    {
        var days = Enumerable.Range(0, 30).Select(i => (new DateOnly(2026, 10, 1).AddDays(i), 10.0 + i)).ToList();

        var png = ChartRenderer.DailyBars("AWS cost per day", "USD", days);

        Assert.Equal(PngSignature, png.Take(8));
        Assert.True(png.Length > 1000);
    }

    [Fact]
    public void Time_series_render_to_a_PNG()
    {
        var start = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var times = Enumerable.Range(0, 12).Select(i => start.AddMinutes(5 * i)).ToList();

        var png = ChartRenderer.Lines("metrics", "count", [
            new ChartSeries("Invocations", times, times.Select((_, i) => (double)i * 3).ToList()),
            new ChartSeries("Errors", times, times.Select((_, i) => (double)(i % 3)).ToList()),
        ]);

        Assert.Equal(PngSignature, png.Take(8));
    }
}
