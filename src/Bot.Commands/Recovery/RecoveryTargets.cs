using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>
/// The SecureBase tables and buckets the recovery commands act on, and nothing else: a table must be one of the
/// environment's configured tables, a bucket one of the configured reports buckets.
/// </summary>
public static class RecoveryTargets
{
    /// <summary>The environment (<c>--env</c>, or the one in the name) and the configured table <paramref name="wanted"/> names.</summary>
    public static (SecureBaseEnvironment Env, string Table) Table(SecureBaseOptions options, string? wanted, string? envFlag)
    {
        if (string.IsNullOrWhiteSpace(wanted))
            throw new UsageException(Line.Of("Which table? e.g. ", Code("user-sessions"), " or ", Code("securebase-prod-user-sessions"), "."));
        var env = options.Get(envFlag ?? options.Environments.Keys.FirstOrDefault(e => wanted.StartsWith($"securebase-{e}-", StringComparison.OrdinalIgnoreCase)));
        var table = env.FindTable(wanted)
                    ?? throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Value(wanted, 80), $" is not one of SecureBase's tables in {env.Name} (",
                        Line.Join(", ", env.Tables.Select(t => Line.Of(Code(t)))), "). Nothing was requested."));
        return (env, table);
    }

    /// <summary>The reports bucket: <c>--bucket</c> when it is one of the configured reports buckets, else the environment's.</summary>
    public static (SecureBaseEnvironment Env, string Bucket) Bucket(SecureBaseOptions options, string? bucketFlag, string? envFlag)
    {
        if (!string.IsNullOrWhiteSpace(bucketFlag))
        {
            var wanted = bucketFlag.Trim();
            foreach (var candidate in options.Environments.Values)
                if (options.ReportsBucketOf(candidate) is { } known && known.Equals(wanted, StringComparison.Ordinal) && (envFlag is null || candidate.Name.Equals(envFlag, StringComparison.OrdinalIgnoreCase)))
                    return (candidate, known);
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Value(wanted, 80), " is not a SecureBase reports bucket (",
                Line.Join(", ", options.Environments.Values.Select(options.ReportsBucketOf).OfType<string>().Select(b => Line.Of(Code(b)))), "). Nothing was done."));
        }
        var env = options.Get(envFlag);
        var bucket = options.ReportsBucketOf(env) ?? throw new UserFacingException(Line.Of(Emoji("grey_question"), $" The reports bucket of {env.Name} is not known: set ",
            Code($"SecureBase__Environments__{env.Name}__ReportsBucket"), " or ", Code("SecureBase__AccountId"), "."));
        return (env, bucket);
    }

    private static readonly string[] TimeFormats =
        ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'"];

    /// <summary>A point in time: ISO 8601, UTC unless it carries an offset (<c>2026-01-24T12:00:00</c>, <c>2026-01-24T13:00:00+01:00</c>).</summary>
    public static DateTimeOffset ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException(Line.Of("To when? ", Code("--to 2026-01-24T12:00:00"), " (UTC unless it has an offset)."));
        text = text.Trim();
        if (DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
            return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        if (text.Length <= 40 && (text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10)
            && DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            return withOffset.ToUniversalTime();
        throw new UsageException(Line.Of(Value(text, 40), " is not a time I can read; write it as ", Code("2026-01-24T12:00:00"), " (UTC) or with an offset, ", Code("2026-01-24T13:00:00+01:00"), "."));
    }
}
