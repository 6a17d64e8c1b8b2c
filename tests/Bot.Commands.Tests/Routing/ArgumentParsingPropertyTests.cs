using Bot.Testing.Commands;
using Bot.Testing;
using Bot.Commands.Routing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Commands.Tests.Routing;

/// <summary>
/// The command line as the router reads it: the tokenizer gives back, word for word, what was quoted for it, and the
/// arguments parser gives back the positionals and flags the words were made of, or refuses with a usage error only.
/// </summary>
public sealed class ArgumentParsingPropertyTests
{
    private static readonly CommandSpec Spec = new()
    {
        Verb = "logs",
        Summary = "",
        Usage = "",
        Flags = [new FlagSpec("since", ""), new FlagSpec("filter", ""), new FlagSpec("env", ""), new FlagSpec("all", "", TakesValue: false)],
        MaxPositionals = 3,
    };

    /// <summary>Any text but Slack's typographic double quotes, which close a quoted word like a straight one does.</summary>
    private static Gen<string> Words() =>
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get.Replace('\u201C', '"').Replace('\u201D', '"'));

    /// <summary>A word as a person would type it so that it survives whole: in double quotes, with <c>\</c> and <c>"</c> escaped.</summary>
    private static string Quoted(string word) => "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [Property(MaxTest = 500)]
    public Property Quoted_words_come_back_word_for_word() =>
        Prop.ForAll(Gen.ArrayOf(Words()).ToArbitrary(), Gen.Elements(" ", "  ", "\t", " \n ").ToArbitrary(), (words, separator) =>
        {
            var text = string.Join(separator, words.Select(Quoted));
            var tokens = CommandTokenizer.Tokenize(text, out var unclosed);
            return !unclosed && tokens.SequenceEqual(words);
        });

    [Property(MaxTest = 500)]
    public bool The_tokenizer_answers_any_text_and_says_when_a_quote_is_left_open(string? text)
    {
        var tokens = CommandTokenizer.Tokenize(text, out var unclosed);
        return tokens.All(t => t is not null) && (!unclosed || text!.Any(c => c is '"' or '\'' or '\u201C' or '\u201D' or '\u2018' or '\u2019'));
    }

    /// <summary>A positional: anything that does not start with <c>--</c>.</summary>
    private static Gen<string> Positional() => Words().Where(w => !w.StartsWith("--", StringComparison.Ordinal));

    /// <summary>A flag value: not blank, and not itself an option.</summary>
    private static Gen<string> FlagValue() => Words().Where(w => !string.IsNullOrWhiteSpace(w) && !(w.StartsWith("--", StringComparison.Ordinal) && w.Length > 2));

    [Property(MaxTest = 500)]
    public Property Positionals_and_flags_are_read_back_as_they_were_given() =>
        Prop.ForAll(
            (from positionals in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Positional(), n))
             from pairs in Gen.Elements("since", "filter", "env").SelectMany(name => FlagValue().Select(value => (name, value))).ArrayOf()
             from inline in ArbMap.Default.GeneratorFor<bool>()
             from all in ArbMap.Default.GeneratorFor<bool>()
             select (positionals, pairs, inline, all)).ToArbitrary(),
            given =>
            {
                var (positionals, pairs, inline, all) = given;
                var flags = pairs.DistinctBy(p => p.name).ToList();
                var words = new List<string>(positionals);
                foreach (var (name, value) in flags) words.AddRange(inline ? [$"--{name}={value}"] : [$"--{name}", value]);
                if (all) words.Add("--ALL");
                var parsed = ParsedArguments.Parse(words, Spec);
                return parsed.Positionals.SequenceEqual(positionals)
                    && flags.All(f => parsed.Flag(f.name) == f.value)
                    && parsed.Has("all") == all
                    && parsed.Flags.Count == flags.Count + (all ? 1 : 0);
            });

    [Property(MaxTest = 500)]
    public bool Any_words_are_parsed_or_refused_with_a_usage_error(string?[] words)
    {
        try
        {
            _ = ParsedArguments.Parse(words.Select(w => w ?? "").ToList(), Spec);
        }
        catch (UsageException e)
        {
            return e.Message.Length > 0;
        }
        return true;
    }

    [Property(MaxTest = 300)]
    public bool Any_text_goes_through_the_tokenizer_and_the_parser_with_at_most_a_usage_error(string? text)
    {
        try
        {
            _ = ParsedArguments.Parse(CommandTokenizer.Tokenize(text), Spec);
        }
        catch (UsageException)
        {
        }
        return true;
    }
}
