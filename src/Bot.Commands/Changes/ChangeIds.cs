using System.Globalization;
using System.Security.Cryptography;

namespace Bot.Commands.Changes;

/// <summary>Change ids people can read out and type: <c>CHG-261130-K3FQ</c> (date, then four random letters and digits).</summary>
public static class ChangeIds
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New(DateTimeOffset now) =>
        $"CHG-{now.UtcDateTime.ToString("yyMMdd", CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetString(Alphabet, 4)}";

    public static bool LooksLikeOne(string text) =>
        text.Length == 15 && text.StartsWith("CHG-", StringComparison.OrdinalIgnoreCase) && text[10] == '-';
}
