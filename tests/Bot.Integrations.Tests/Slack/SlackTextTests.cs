using Bot.Testing.Slack;
using Bot.Testing;
using Bot.Integrations.Slack;

namespace Bot.Integrations.Tests.Slack;

public class SlackTextTests
{
    [Theory]
    [InlineData("<!here>", "&lt;!here&gt;")]
    [InlineData("a & b", "a &amp; b")]
    [InlineData("&lt;", "&amp;lt;")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Escape_turns_the_three_characters_slack_reads_as_markup_into_entities(string text, string expected)
        => Assert.Equal(expected, SlackText.Escape(text));

    [Fact]
    public void A_code_span_value_is_one_line_bounded_and_cannot_close_its_span()
    {
        var shown = SlackText.Code("`<!here>`\nsecond line" + new string('x', 100), max: 30);

        Assert.StartsWith("`ˋ&lt;!here&gt;ˋ second line", shown);
        Assert.EndsWith("…`", shown);
        Assert.Equal(2, shown.Count(c => c == '`'));
        Assert.DoesNotContain('\n', shown);
    }

    [Fact]
    public void An_empty_value_still_makes_a_visible_code_span() => Assert.Equal("` `", SlackText.Code(""));

    [Fact]
    public void Bounding_never_splits_a_surrogate_pair()
    {
        var bounded = SlackText.Bound("ab😀😀😀", 4);

        Assert.Equal("ab…", bounded);
        Assert.True(bounded.Length <= 4);
    }

    [Fact]
    public void A_code_block_cannot_be_ended_by_the_text_inside_it()
        => Assert.Equal("ˋˋˋ&lt;!channel&gt;", SlackText.InCodeBlock("```<!channel>"));
}
