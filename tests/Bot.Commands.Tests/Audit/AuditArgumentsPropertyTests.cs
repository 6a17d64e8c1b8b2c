using Bot.Testing;
using Bot.Commands.Routing;
using System.Globalization;
using Bot.Commands.Audit;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bot.Commands.Tests.Audit;

/// <summary><c>/sb audit --since 7d --user @ana</c>: any text is a window of at most the maximum, a user, or a usage error, never another exception.</summary>
public sealed class AuditArgumentsPropertyTests
{
    private static readonly TimeSpan Fallback = TimeSpan.FromDays(1);

    [Property(MaxTest = 1000)]
    public bool Any_since_is_a_window_within_the_maximum_or_a_usage_error(string? text)
    {
        try
        {
            var window = AuditCommand.ParseWindow(text, Fallback);
            return text is null ? window == Fallback : window > TimeSpan.Zero && window <= AuditCommand.MaxWindow;
        }
        catch (UsageException)
        {
            return text is not null;
        }
    }

    [Property(MaxTest = 300)]
    public Property A_window_in_any_unit_reads_back_as_what_it_says() =>
        Prop.ForAll(Gen.Choose(1, 9999).ToArbitrary(), Gen.Elements(('m', 1.0), ('h', 60.0), ('d', 1440.0), ('w', 10080.0), ('D', 1440.0)).ToArbitrary(), (n, unit) =>
        {
            var expected = TimeSpan.FromMinutes(n * unit.Item2);
            var text = n.ToString(CultureInfo.InvariantCulture) + unit.Item1;
            try
            {
                return AuditCommand.ParseWindow(text, Fallback) == expected && expected <= AuditCommand.MaxWindow;
            }
            catch (UsageException)
            {
                return expected > AuditCommand.MaxWindow;
            }
        });

    [Property(MaxTest = 1000)]
    public bool Any_user_is_a_name_an_id_or_a_usage_error(string? text)
    {
        try
        {
            var user = AuditCommand.ParseUser(text);
            return text is null ? user is null : !string.IsNullOrWhiteSpace(user) && !user.Contains('<') && !user.Contains('@');
        }
        catch (UsageException)
        {
            return text is not null;
        }
    }

    [Property(MaxTest = 200)]
    public Property A_mention_is_read_as_the_users_id() =>
        Prop.ForAll(Gen.Choose(0, 99999).Select(n => "U0" + n.ToString(CultureInfo.InvariantCulture)).ToArbitrary(), id =>
            AuditCommand.ParseUser($"<@{id}|ana>") == id && AuditCommand.ParseUser($"<@{id}>") == id);
}
