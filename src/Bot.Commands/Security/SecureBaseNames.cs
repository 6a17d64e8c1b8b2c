using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security;

/// <summary>
/// What counts as SecureBase's in the security commands: secrets and IAM roles named <c>securebase-&lt;env&gt;-…</c> for a
/// configured environment. Anything else is refused before AWS is asked.
/// </summary>
public static class SecureBaseNames
{
    public const int MaxNameLength = 256;

    /// <summary>
    /// The secret <paramref name="wanted"/> names, in full (<c>securebase-prod-jwt-secret</c>) or short (<c>jwt-secret</c>, in the
    /// environment of <c>--env</c> or the default); refused unless it is a SecureBase secret of a configured environment.
    /// </summary>
    public static (SecureBaseEnvironment Env, string Secret) Secret(SecureBaseOptions options, string? wanted, string? envFlag)
    {
        if (string.IsNullOrWhiteSpace(wanted))
            throw new UsageException(Line.Of("Which secret? e.g. ", Code("jwt-secret"), " or ", Code("securebase-prod-jwt-secret"), " (", Code("/sb secrets"), " lists them)."));
        wanted = wanted.Trim();
        if (wanted.StartsWith("arn:", StringComparison.OrdinalIgnoreCase))
            wanted = SecretNameOfArn(wanted) is { } named && named.StartsWith("securebase-", StringComparison.OrdinalIgnoreCase) ? named : throw NotSecureBase("secret", wanted, options);
        if (wanted.Length > MaxNameLength || !wanted.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.' or '+' or '=' or '@'))
            throw new UsageException(Line.Of(Value(wanted, 40), " is not a secret name."));
        if (wanted.StartsWith("securebase-", StringComparison.OrdinalIgnoreCase))
        {
            var env = EnvironmentOf(options, wanted);
            if (env is null || (envFlag is not null && !string.Equals(env.Name, envFlag.Trim(), StringComparison.OrdinalIgnoreCase)))
                throw NotSecureBase("secret", wanted, options);
            return (env, wanted);
        }
        if (wanted.Contains('/')) throw NotSecureBase("secret", wanted, options);
        var target = options.Get(envFlag);
        return (target, $"securebase-{target.Name}-{wanted}");
    }

    /// <summary>The secret's name in a Secrets Manager ARN (<c>…:secret:&lt;name&gt;</c>, without the six characters AWS adds), or null.</summary>
    private static string? SecretNameOfArn(string arn)
    {
        var at = arn.IndexOf(":secret:", StringComparison.Ordinal);
        if (at < 0) return null;
        var name = arn[(at + ":secret:".Length)..];
        return name.Length > 7 && name[^7] == '-' ? name[..^7] : name;
    }

    /// <summary>Whether an IAM role ARN or name is a SecureBase role (<c>securebase-&lt;env&gt;-…</c>).</summary>
    public static bool IsSecureBaseRole(SecureBaseOptions options, string roleArnOrName) => EnvironmentOf(options, RoleName(roleArnOrName)) is not null;

    /// <summary>The role name of a role ARN (<c>arn:aws:iam::123:role/path/name</c> → <c>name</c>), or the name itself.</summary>
    public static string RoleName(string roleArnOrName) => roleArnOrName.Contains('/') ? roleArnOrName[(roleArnOrName.LastIndexOf('/') + 1)..] : roleArnOrName;

    /// <summary>The configured environment whose <c>securebase-&lt;env&gt;-</c> prefix starts <paramref name="name"/>, if any.</summary>
    public static SecureBaseEnvironment? EnvironmentOf(SecureBaseOptions options, string name) =>
        options.Environments.Values.FirstOrDefault(e => name.StartsWith($"securebase-{e.Name}-", StringComparison.OrdinalIgnoreCase) && name.Length > $"securebase-{e.Name}-".Length);

    public static UserFacingException NotSecureBase(string what, string name, SecureBaseOptions options) =>
        new(Line.Of(Emoji("no_entry"), " ", Value(name, 80), $" is not a SecureBase {what}: the bot works only on ", Code("securebase-<env>-…"),
            $" {what}s of the configured environments (", Line.Join(", ", options.Environments.Keys.Order().Select(k => Line.Of(Code(k)))), "). Nothing was done."));
}
