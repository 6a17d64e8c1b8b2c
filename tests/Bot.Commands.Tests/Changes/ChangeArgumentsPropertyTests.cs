using Bot.Testing;
using Bot.Commands.Routing;
using System.Globalization;
using Bot.Commands.Changes;
using Bot.Workflows.Changes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Commands.Tests.Changes;

/// <summary>
/// The arguments of the commands that request changes: <c>config … set KEY=VALUE … unset KEY</c>, <c>concurrency &lt;n|none&gt;</c>
/// and <c>--category</c>. What is well formed is read back exactly; anything else is a usage error, never another exception.
/// </summary>
public sealed class ChangeArgumentsPropertyTests
{
    /// <summary>Valid variable names: a letter, then letters, digits and underscores.</summary>
    private static readonly Gen<string> Keys =
        from first in Gen.Elements("A", "b", "DB", "Log")
        from middle in Gen.Elements("", "_", "9", "_url_")
        from n in Gen.Choose(0, 99)
        select first + middle + n.ToString(CultureInfo.InvariantCulture);

    private static Gen<string> Values() => ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get);

    [Property(MaxTest = 500)]
    public Property Set_and_unset_edits_are_read_back_key_for_key() =>
        Prop.ForAll(
            (from sets in Gen.ArrayOf(from k in Keys from v in Values() select (k, v))
             from unsets in Gen.ArrayOf(Keys)
             select (sets, unsets)).ToArbitrary(),
            given =>
            {
                var sets = given.sets.DistinctBy(s => s.k).ToList();
                var unsets = given.unsets.Distinct().Where(k => sets.All(s => s.k != k)).ToList();
                var words = new List<string>();
                if (sets.Count > 0) words.AddRange(["set", .. sets.Select(s => $"{s.k}={s.v}")]);
                if (unsets.Count > 0) words.AddRange(["unset", .. unsets]);
                var (readSets, readUnsets) = ConfigCommand.ParseEdits(words);
                return readSets.SequenceEqual(sets) && readUnsets.SequenceEqual(unsets);
            });

    [Property(MaxTest = 1000)]
    public bool Any_edit_words_are_read_or_refused_with_a_usage_error(string?[] words)
    {
        try
        {
            var (sets, unsets) = ConfigCommand.ParseEdits(words.Select(w => w ?? "").ToList());
            return sets.All(s => s.Key.Length > 0) && unsets.All(u => u.Length > 0);
        }
        catch (UsageException e)
        {
            return e.Message.Length > 0;
        }
    }

    [Property(MaxTest = 1000)]
    public bool Any_concurrency_is_a_number_in_range_none_or_a_usage_error(string? text)
    {
        try
        {
            return ConcurrencyCommand.ParseValue(text) is not { } n || n is >= 0 and <= ConcurrencyCommand.Max;
        }
        catch (UsageException)
        {
            return true;
        }
    }

    [Property(MaxTest = 300)]
    public bool A_concurrency_in_range_is_read_back(ushort value) =>
        value > ConcurrencyCommand.Max || ConcurrencyCommand.ParseValue(value.ToString(CultureInfo.InvariantCulture)) == value;

    [Property(MaxTest = 1000)]
    public bool Any_category_is_one_of_the_three_or_a_usage_error(string? text)
    {
        try
        {
            return Enum.IsDefined(ChangeFlags.ParseCategory(text));
        }
        catch (UsageException)
        {
            return true;
        }
    }

    [Property(MaxTest = 100)]
    public Property The_three_categories_are_read_in_any_case_and_padding() =>
        Prop.ForAll(Gen.Elements(ChangeCategory.Standard, ChangeCategory.Emergency, ChangeCategory.Major).ToArbitrary(), Gen.Elements(" ", "", "\t").ToArbitrary(), (category, pad) =>
        {
            var name = category.ToString();
            return ChangeFlags.ParseCategory(pad + name.ToUpperInvariant() + pad) == category && ChangeFlags.ParseCategory(name.ToLowerInvariant()) == category;
        });
}
