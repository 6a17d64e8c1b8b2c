using System.Globalization;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security.Secrets;

/// <summary>The answer to <c>/sb secrets</c>: one line per secret, worst first, and the schedule it is measured against.</summary>
public static class SecretsMessages
{
    public static ChatMessage Build(string environment, IReadOnlyList<SecretAge> ages, CredentialOptions schedule)
    {
        var critical = ages.Count(a => a.Level == AgeLevel.Critical);
        var warn = ages.Count(a => a.Level == AgeLevel.Warn);
        var headline = Line.Of(Emoji(critical > 0 ? "red_circle" : warn > 0 ? "warning" : "white_check_mark"),
            $" {ages.Count} secret(s) in {environment} (", Code($"securebase-{environment}-*"), $"): {critical} critical, {warn} past the warning age");
        var lines = ages.Select(Row).ToList();
        var note = Emphasis($"Measured against the procedures' schedule for system keys: every 60 days, warn at {schedule.WarnDays} days, critical at {schedule.CriticalDays} " +
                                  "(Security__Credentials__WarnDays/CriticalDays); the age runs from the last rotation, or the last change when it never rotated. " +
                                  "Metadata only: no value is ever read.");
        return ChatMessage.InChannel(Line.Of(headline, "\n", Line.Join("\n", lines)),
            [new TextBlock(headline), new LinesBlock(lines), new NoteBlock(Line.Of(note, " ", Code("/sb rotate <secret>"), " requests a rotation."))]);
    }

    private static Line Row(SecretAge a)
    {
        var icon = a.Level switch { AgeLevel.Critical => "red_circle", AgeLevel.Warn => "warning", _ => "white_check_mark" };
        var rotation = a.RotationConfigured
            ? Line.Of("rotation on", a.Schedule is { } s ? $", {s}" : "", a.NextRotation is { } next ? $", next {Day(next)}" : "")
            : Line.Of(Strong("no rotation configured"));
        return Line.Of(Emoji(icon), " ", Code(a.Name), $" {a.AgeDays} days old · ", rotation,
            " · last rotated ", a.LastRotated is { } r ? Day(r) : "never", " · changed ", a.LastChanged is { } c ? Day(c) : "?",
            a.UnfinishedVersion is { } pending ? Line.Of(" · ", Strong("rotation unfinished"), " (", Code("AWSPENDING"), " on ", Code(Bot.Workflows.Changes.ChangeSpec.ShortVersion(pending)), ")") : null);
    }

    internal static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
