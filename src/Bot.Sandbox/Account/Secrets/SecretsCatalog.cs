namespace Bot.Sandbox.Account.Secrets;

/// <summary>
/// One SecureBase secret (<c>securebase-&lt;env&gt;-&lt;suffix&gt;</c>): what it holds, how it rotates, how old its
/// value is in production, which functions read it and through which environment variable.
/// </summary>
/// <param name="RotationDays">AutomaticallyAfterDays; null with <paramref name="ScheduleExpression"/> null: rotation never configured.</param>
/// <param name="ProdAgeDays">Days since the value last changed (last rotation, or creation when never rotated) in prod.</param>
/// <param name="VariableHoldsArn">Whether the readers' variable holds the secret's ARN (else its name).</param>
internal sealed record SecretProfile(
    string Suffix,
    string Description,
    string Kind,
    int? RotationDays,
    string? ScheduleExpression,
    int ProdAgeDays,
    IReadOnlyList<string> ReadBy,
    string Variable,
    bool VariableHoldsArn)
{
    public bool RotationConfigured => RotationDays is not null || ScheduleExpression is not null;
}

/// <summary>
/// The secrets of every environment and the facts planted in them, measured against the procedures'
/// schedule (system keys every 60 days; warn at 60, critical at 80): in prod <c>db-credentials</c> and
/// <c>report-signing-key</c> are fresh, <c>jwt-secret</c> is past the warning age, <c>api-keys</c> past the
/// critical age, and <c>invite-smtp</c> is critical and has no rotation configured. Staging is 3 days older
/// and dev 5, in the same classes.
/// </summary>
internal static class SecretsCatalog
{
    public const string DbCredentials = "db-credentials";
    public const string JwtSecret = "jwt-secret";
    public const string ApiKeys = "api-keys";
    public const string InviteSmtp = "invite-smtp";
    public const string ReportSigningKey = "report-signing-key";

    /// <summary>The rotation Lambda's suffix: <c>securebase-&lt;env&gt;-secret-rotation</c>.</summary>
    public const string RotationFunction = "secret-rotation";

    public static readonly IReadOnlyList<SecretProfile> Secrets =
    [
        new(DbCredentials, "SecureBase PostgreSQL application user (through the RDS proxy)", "database", 30, null, 12,
            [SecureBaseCatalog.UserManagement, SecureBaseCatalog.ReportEngine], "DATABASE_SECRET_ARN", true),
        new(JwtSecret, "Signing key of SecureBase session tokens (HS256)", "jwt", null, "rate(90 days)", 67,
            [SecureBaseCatalog.SessionManagement, SecureBaseCatalog.UserManagement], "JWT_SECRET_NAME", false),
        new(ApiKeys, "Partner API keys the report engine calls out with", "api-keys", 120, null, 94,
            [SecureBaseCatalog.ReportEngine], "API_KEYS_SECRET_ARN", true),
        new(InviteSmtp, "SMTP credentials for invitation e-mails", "smtp", null, null, 203,
            [SecureBaseCatalog.UserManagement], "INVITE_SMTP_SECRET_ID", false),
        new(ReportSigningKey, "Key that signs generated compliance reports", "signing-key", 60, null, 26,
            [SecureBaseCatalog.ReportEngine], "REPORT_SIGNING_KEY_ARN", true),
    ];

    public static string SecretName(string environment, string suffix) => $"securebase-{environment}-{suffix}";

    public static string RotationFunctionName(string environment) => $"securebase-{environment}-{RotationFunction}";

    /// <summary>How much older a secret is outside prod (staging 3 days, dev 5).</summary>
    public static int AgeOffset(string environment) => environment switch
    {
        "prod" => 0,
        "staging" => 3,
        _ => 5,
    };

    /// <summary>
    /// A secret's ARN: the name plus a hyphen and six random characters, as Secrets Manager makes them
    /// (derived from the seed, so the functions' variables can name it before the secrets exist).
    /// </summary>
    public static string SecretArn(SandboxOptions options, string name)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[6];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = alphabet[(int)(Deterministic.Unit(options.Seed, "secret-arn:" + name, i) * alphabet.Length)];
        return $"arn:aws:secretsmanager:{options.Region}:{options.AccountId}:secret:{name}-{new string(chars)}";
    }

    /// <summary>The variables through which a function finds the secrets it reads (added to its environment).</summary>
    public static IEnumerable<KeyValuePair<string, string>> VariablesFor(SandboxOptions options, string environment, string functionSuffix)
    {
        foreach (var secret in Secrets.Where(s => s.ReadBy.Contains(functionSuffix)))
        {
            var name = SecretName(environment, secret.Suffix);
            yield return new(secret.Variable, secret.VariableHoldsArn ? SecretArn(options, name) : name);
        }
    }
}
