using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Routing;

/// <summary>The words after the verb, split into positionals and <c>--flags</c> as the spec declares them.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _flags;

    private ParsedArguments(IReadOnlyList<string> positionals, Dictionary<string, string?> flags)
    {
        Positionals = positionals;
        _flags = flags;
    }

    public IReadOnlyList<string> Positionals { get; }
    public IReadOnlyDictionary<string, string?> Flags => _flags;

    /// <summary>The n-th positional argument, or null.</summary>
    public string? Positional(int index) => index < Positionals.Count ? Positionals[index] : null;

    /// <summary>The value of <c>--name</c>, or null when absent.</summary>
    public string? Flag(string name) => _flags.TryGetValue(name, out var v) ? v : null;

    /// <summary>Whether <c>--name</c> was given (switch or valued flag).</summary>
    public bool Has(string name) => _flags.ContainsKey(name);

    /// <summary>
    /// Parses <paramref name="words"/> (without the verb). <c>--name value</c> and <c>--name=value</c>
    /// both work; a lone <c>--</c> ends flags. Unknown flags, missing values and too many positionals
    /// throw <see cref="UsageException"/>.
    /// </summary>
    public static ParsedArguments Parse(IReadOnlyList<string> words, CommandSpec spec)
    {
        var positionals = new List<string>();
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var flagsEnded = false;

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (flagsEnded || !word.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(word);
                continue;
            }
            if (word.Length == 2)
            {
                flagsEnded = true;
                continue;
            }

            var body = word[2..];
            string? inlineValue = null;
            var eq = body.IndexOf('=');
            if (eq >= 0)
            {
                inlineValue = body[(eq + 1)..];
                body = body[..eq];
            }

            var flag = spec.Flags.FirstOrDefault(f => string.Equals(f.Name, body, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException(Line.Of(Code($"/sb {spec.Verb}"), " has no option ", Value("--" + body), "."));

            if (!flag.TakesValue)
            {
                if (inlineValue is not null) throw new UsageException(Line.Of(Code($"--{flag.Name}"), " takes no value."));
                flags[flag.Name] = null;
                continue;
            }

            var value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= words.Count || (words[i + 1].StartsWith("--", StringComparison.Ordinal) && words[i + 1].Length > 2))
                    throw new UsageException(Line.Of(Code($"--{flag.Name}"), $" needs a value{(flag.ValueHint is null ? "" : $" ({flag.ValueHint})")}."));
                value = words[++i];
            }
            if (string.IsNullOrWhiteSpace(value))
                throw new UsageException(Line.Of(Code($"--{flag.Name}"), $" needs a value{(flag.ValueHint is null ? "" : $" ({flag.ValueHint})")}; it was empty."));
            if (flags.ContainsKey(flag.Name)) throw new UsageException(Line.Of(Code($"--{flag.Name}"), " is given twice."));
            flags[flag.Name] = value;
        }

        if (spec.MaxPositionals is { } max && positionals.Count > max)
            throw new UsageException(Line.Of("Too many arguments: ", Value(string.Join(' ', positionals.Skip(max))), " was not expected."));

        return new ParsedArguments(positionals, flags);
    }
}
