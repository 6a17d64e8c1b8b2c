using System.Globalization;
using System.Security.Cryptography;

namespace Bot.Workflows.Recovery;

/// <summary>Ids of the jobs a change starts: the change's date and letters with the job's prefix (<c>CHG-261130-K3FQ</c> → <c>RST-261130-K3FQ</c>).</summary>
public static class RecoveryIds
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string ForChange(string prefix, string changeId) =>
        changeId.StartsWith("CHG-", StringComparison.Ordinal) ? prefix + changeId[3..] : $"{prefix}-{changeId}";

    /// <summary>A new id for a job no change started (a staging drill).</summary>
    public static string New(string prefix, DateTimeOffset now) =>
        $"{prefix}-{now.UtcDateTime.ToString("yyMMdd", CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetString(Alphabet, 4)}";

    public const string Restore = "RST";
    public const string Drill = "DRL";
    public const string Cleanup = "CLN";
}
