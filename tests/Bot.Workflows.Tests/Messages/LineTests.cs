using System.Text.Json;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Tests.Messages;

/// <summary>Lines are built from parts, compared by their spans, and stored as they always were.</summary>
public sealed class LineTests
{
    [Fact]
    public void Lines_and_builders_among_the_parts_of_a_line_keep_their_spans()
    {
        var inner = Line.Of("a ", Code("b"));
        var builder = new LineBuilder(Emoji("x"), " ").AddLine(inner);

        var line = Line.Of(builder, inner, "!");

        Assert.Equal([Emoji("x"), new TextSpan(" "), new TextSpan("a "), Code("b"), new TextSpan("\n"), new TextSpan("a "), Code("b"), new TextSpan("!")], line.Spans);
    }

    [Fact]
    public void Two_lines_with_the_same_spans_are_equal()
    {
        Assert.Equal(Line.Of("a", Code("b")), Line.Of("a", Code("b")));
        Assert.NotEqual(Line.Of("a", Code("b")), Line.Of("a", "b"));
        Assert.Equal(Line.Of("a", Code("b")).GetHashCode(), Line.Of("a", Code("b")).GetHashCode());
    }

    [Fact]
    public void Join_puts_the_separator_between_lines_only()
    {
        Assert.Equal("a, b, c", Line.Join(", ", [Line.Of("a"), Line.Of("b"), Line.Of("c")]).ToPlainText());
        Assert.Empty(Line.Join(", ", []).Spans);
    }

    [Fact]
    public void TrimEnd_drops_trailing_white_space_of_the_last_text_spans_only()
    {
        Assert.Equal(Line.Of("a ", Code("b"), " c"), Line.Of("a ", Code("b"), " c \n", "\n").TrimEnd());
        Assert.Equal(Line.Of(Code("b ")), Line.Of(Code("b ")).TrimEnd());
    }

    [Theory]
    [InlineData("x", 60, "x")]
    [InlineData("", 60, " ")]
    [InlineData("a\nb\tc", 60, "a b c")]
    [InlineData("abcdef", 4, "abc…")]
    public void A_value_from_outside_is_one_bounded_line_and_never_blank(string text, int max, string shown) =>
        Assert.Equal(shown, Value(text, max).Text);

    [Fact]
    public void Spans_are_stored_with_their_kind_and_the_bots_own_placeholders_are_marked_only_when_set()
    {
        var line = Line.Of(Emoji("mag"), Emphasis("e"), Channel("C1"), Preformatted("p"), Code("c"), Template("<t>"), AsWritten("<w>"));

        var json = JsonSerializer.Serialize(line);

        Assert.DoesNotContain("Verbatim", JsonSerializer.Serialize(Line.Of("a", Code("c"))));
        Assert.Equal(2, json.Split("\"Verbatim\":true").Length - 1);
        Assert.Equal(line, JsonSerializer.Deserialize<Line>(json));
    }
}
