using System.Text.Json;

namespace Bot.Sandbox.Account.Secrets;

/// <summary>
/// The (fake) values the secrets hold, one per version, derived from the seed and the version id. Only GetSecretValue
/// returns them, for the guides' CLI commands; the bot never asks.
/// </summary>
internal static class SecretValues
{
    public static string For(int seed, string environment, SecretProfile profile, string versionId)
    {
        string Random(string purpose, int length)
        {
            const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            return string.Concat(Enumerable.Range(0, length).Select(i =>
                alphabet[(int)(Deterministic.Unit(seed, $"secret-value:{versionId}:{purpose}", i) * alphabet.Length)]));
        }
        object value = profile.Kind switch
        {
            "database" => new
            {
                engine = "postgres",
                host = $"securebase-{environment}-proxy.proxy-c8x2k9sandbox.us-east-1.rds.amazonaws.com",
                port = 5432,
                username = "securebase_app",
                password = Random("password", 32),
                dbname = "securebase",
            },
            "jwt" => new { algorithm = "HS256", signingKey = Random("jwt", 64) },
            "api-keys" => new { northwind = "nw_live_" + Random("northwind", 32), contoso = "ck_" + Random("contoso", 40) },
            "smtp" => new { host = "email-smtp.us-east-1.amazonaws.com", port = 587, username = "securebase-invites", password = Random("smtp", 44) },
            _ => new { keyId = "report-signing-" + versionId[..8], secret = Random("signing", 64) },
        };
        return JsonSerializer.Serialize(value);
    }
}
