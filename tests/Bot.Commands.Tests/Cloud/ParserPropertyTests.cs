using Bot.Testing;
using Bot.Commands.Routing;
using Bot.Commands.Cloud;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Commands.Tests.Cloud;

/// <summary>The --since and --period parsers never throw anything but a usage error, whatever they are given.</summary>
public sealed class ParserPropertyTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Property(MaxTest = 500)]
    public bool Duration_parser_never_throws_on_any_string(string? text)
    {
        var parsed = DurationParser.TryParse(text, out var duration);
        return parsed ? duration > TimeSpan.Zero && duration <= DurationParser.Maximum : duration == default;
    }

    [Property(MaxTest = 500)]
    public bool Duration_Parse_throws_only_usage_errors(string? text)
    {
        try
        {
            DurationParser.Parse(text, TimeSpan.FromHours(1));
            return true;
        }
        catch (UsageException e)
        {
            return e.Message.Contains("15m", StringComparison.Ordinal);
        }
    }

    [Property(MaxTest = 300)]
    public bool Every_well_formed_duration_within_range_parses_to_its_value(PositiveInt n, byte unitIndex)
    {
        var units = new[] { ('m', 1L), ('h', 60L), ('d', 1440L), ('w', 10080L) };
        var (unit, minutes) = units[unitIndex % units.Length];
        var expected = (long)n.Get * minutes;
        var ok = DurationParser.TryParse($"{n.Get}{unit}", out var d);
        return expected <= DurationParser.Maximum.TotalMinutes ? ok && d == TimeSpan.FromMinutes(expected) : !ok;
    }

    [Property(MaxTest = 300)]
    public bool A_duration_shown_in_one_unit_reads_back_as_the_same_duration(string? text)
    {
        if (!DurationParser.TryParse(text, out var duration)) return true;
        var shown = DurationParser.Format(duration);
        return shown.Contains(' ', StringComparison.Ordinal) || (DurationParser.TryParse(shown, out var again) && again == duration);
    }

    [Property(MaxTest = 300)]
    public bool Every_whole_number_of_a_unit_is_shown_in_a_form_that_reads_back(PositiveInt n, byte unitIndex)
    {
        var units = new[] { 'm', 'h', 'd', 'w' };
        var text = $"{n.Get % 2000 + 1}{units[unitIndex % units.Length]}";
        if (!DurationParser.TryParse(text, out var duration)) return true;
        var parts = DurationParser.Format(duration).Split(' ');
        var total = TimeSpan.Zero;
        foreach (var part in parts)
        {
            if (!DurationParser.TryParse(part, out var piece)) return false;
            total += piece;
        }
        return total == duration;
    }

    [Property(MaxTest = 500)]
    public bool Period_parser_never_throws_for_any_text_and_any_day(string? text, int dayOffset)
    {
        var today = DateOnly.FromDayNumber(Math.Clamp(Today.DayNumber + dayOffset % 100_000, 0, DateOnly.MaxValue.DayNumber));
        try
        {
            if (!CostPeriodParser.TryParse(text, today, out var p)) return true;
            return p.Start < p.End && p.PreviousStart <= p.PreviousEnd && p.PreviousEnd <= p.Start;
        }
        catch (UsageException)
        {
            return false;
        }
    }

    [Property(MaxTest = 300)]
    public bool Period_Parse_throws_only_usage_errors(string? text)
    {
        try
        {
            CostPeriodParser.Parse(text, Today);
            return true;
        }
        catch (UsageException e)
        {
            return e.Message.Contains("last-month", StringComparison.Ordinal);
        }
    }

    [Property(MaxTest = 300)]
    public bool Tokenized_command_text_parses_into_arguments_without_throwing(string? text)
    {
        var spec = new CommandSpec { Verb = "logs", Summary = "", Usage = "", Flags = [new FlagSpec("since", ""), new FlagSpec("filter", "")] };
        try
        {
            var args = ParsedArguments.Parse(CommandTokenizer.Tokenize(text), spec);
            _ = DurationParser.TryParse(args.Flag("since"), out _);
            return true;
        }
        catch (UsageException)
        {
            return true;
        }
    }

    [Theory]
    [InlineData("15m", 15)]
    [InlineData("1h", 60)]
    [InlineData("2d", 2880)]
    [InlineData("1w", 10080)]
    [InlineData(" 90D ", 129600)]
    public void Accepted_durations(string text, int minutes)
    {
        Assert.True(DurationParser.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromMinutes(minutes), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("1y")]
    [InlineData("91d")]
    [InlineData("h")]
    [InlineData("99999999999m")]
    [InlineData("１h")]
    public void Rejected_durations(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void Month_to_date_includes_today_and_compares_with_the_same_days_of_last_month()
    {
        var p = CostPeriodParser.Parse("mtd", Today);
        Assert.Equal(new DateOnly(2026, 11, 1), p.Start);
        Assert.Equal(new DateOnly(2026, 11, 23), p.End);
        Assert.Equal(new DateOnly(2026, 10, 1), p.PreviousStart);
        Assert.Equal(new DateOnly(2026, 10, 23), p.PreviousEnd);
    }

    [Fact]
    public void Last_month_is_the_whole_previous_calendar_month()
    {
        var p = CostPeriodParser.Parse("last-month", new DateOnly(2026, 3, 15));
        Assert.Equal(new DateOnly(2026, 2, 1), p.Start);
        Assert.Equal(new DateOnly(2026, 3, 1), p.End);
        Assert.Equal(new DateOnly(2026, 1, 1), p.PreviousStart);
        Assert.Equal(new DateOnly(2026, 2, 1), p.PreviousEnd);
    }

    [Fact]
    public void Thirty_days_ends_today_exclusive_and_compares_with_the_thirty_before()
    {
        var p = CostPeriodParser.Parse(null, Today);
        Assert.Equal(30, p.Days);
        Assert.Equal(Today, p.End);
        Assert.Equal(p.Start, p.PreviousEnd);
        Assert.Equal(30, p.PreviousEnd.DayNumber - p.PreviousStart.DayNumber);
    }
}
