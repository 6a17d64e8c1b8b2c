using Bot.Testing.Commands;
using Bot.Testing;
using Bot.Commands.Routing;

namespace Bot.Commands.Tests.Routing;

public class CommandTokenizerTests
{
    [Fact]
    public void Words_are_split_on_whitespace()
        => Assert.Equal(["logs", "fn", "--since", "1h"], CommandTokenizer.Tokenize("  logs fn\t--since   1h "));

    [Fact]
    public void Double_quotes_group_words_and_backslash_escapes_a_quote()
        => Assert.Equal(["deploy", "say \"hi\" now", "x"], CommandTokenizer.Tokenize("deploy \"say \\\"hi\\\" now\" x"));

    [Fact]
    public void Smart_quotes_from_slack_clients_group_words()
        => Assert.Equal(["note", "it broke", "it\u2019s down"], CommandTokenizer.Tokenize("note \u201Cit broke\u201D \u2018it\u2019s down\u2019"));

    [Fact]
    public void An_apostrophe_inside_a_word_is_kept()
        => Assert.Equal(["note", "it\u2019s", "down"], CommandTokenizer.Tokenize("note it\u2019s down"));

    [Fact]
    public void An_unclosed_quote_runs_to_the_end()
        => Assert.Equal(["a", "b c"], CommandTokenizer.Tokenize("a \"b c"));

    [Fact]
    public void Empty_quotes_make_an_empty_word()
        => Assert.Equal(["a", "", "b"], CommandTokenizer.Tokenize("a \"\" b"));
}
