using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Incidents;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>How long to snooze, as a person types it in the Snooze dialog: any text is read or refused, never thrown on.</summary>
public sealed class SnoozeParserPropertyTests
{
    [Property(MaxTest = 1000)]
    public bool Any_text_is_a_snooze_of_at_most_a_day_or_refused(string? text)
    {
        var snooze = Incident.ParseSnooze(text);
        return snooze is null || (snooze > TimeSpan.Zero && snooze <= Incident.MaxSnooze);
    }

    /// <summary>Digits of other scripts (Arabic-Indic, Devanagari, fullwidth…) in every place a number goes.</summary>
    [Property(MaxTest = 300)]
    public Property Digits_of_any_script_are_read_or_refused_without_throwing() =>
        Prop.ForAll(
            Gen.Elements("{0}", "{0}m", "{0}h", "{0}h{0}m", "{0} hours", "1h {0}min").Zip(Gen.Elements('٣', '۵', '३', '７', '߁', '፩', '3')).ToArbitrary(),
            form =>
            {
                var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, form.Item1, new string(form.Item2, 2));
                var snooze = Incident.ParseSnooze(text);
                return snooze is null || snooze <= Incident.MaxSnooze;
            });

    [Property(MaxTest = 300)]
    public bool Hours_and_minutes_read_back_as_what_they_say(byte hours, byte minutes)
    {
        var h = hours % 25;
        var m = minutes % 60;
        var expected = TimeSpan.FromHours(h) + TimeSpan.FromMinutes(m);
        var text = (h > 0 ? $"{h}h" : "") + (m > 0 || h == 0 ? $"{m}m" : "");
        var read = Incident.ParseSnooze(text);
        return expected > TimeSpan.Zero && expected <= Incident.MaxSnooze ? read == expected : read is null;
    }
}
