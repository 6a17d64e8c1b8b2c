using Bot.Commands.Cloud;
using Bot.Integrations.Aws.Lambda;
using Bot.Workflows.Changes;

namespace Bot.Commands.Security.Rotation;

/// <summary>
/// Which SecureBase functions read a secret: those whose environment names it (its name, its ARN, or its ARN without the
/// six random characters Secrets Manager adds). Only the variables' names are kept; no value is shown or stored.
/// </summary>
public sealed class SecretReaders(ILambdaClient lambda)
{
    public async Task<IReadOnlyList<SecretReader>> FindAsync(SecureBaseEnvironment env, string secretName, string? secretArn, CancellationToken cancellationToken)
    {
        var configurations = await Task.WhenAll(env.Functions.Select(f => AwsFailures.Guard($"reading the configuration of {f}",
            () => lambda.GetFunctionConfigurationAsync(f, null, cancellationToken))));
        return env.Functions.Zip(configurations)
            .SelectMany(pair => (pair.Second.Environment?.Variables ?? []).Where(v => Names(v.Value, secretName, secretArn))
                .Select(v => new SecretReader(pair.First, v.Key)))
            .OrderBy(r => r.Function, StringComparer.Ordinal).ThenBy(r => r.Variable, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Whether a variable's value names the secret (exactly, not as part of another name).</summary>
    public static bool Names(string value, string secretName, string? secretArn)
    {
        value = value.Trim();
        if (value == secretName || (secretArn is not null && value == secretArn)) return true;
        // arn:aws:secretsmanager:<region>:<account>:secret:<name> (a partial ARN) or <name>-XXXXXX (the full one).
        if (!value.StartsWith("arn:", StringComparison.Ordinal)) return false;
        var marker = ":secret:";
        var at = value.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return false;
        var name = value[(at + marker.Length)..];
        return name == secretName || (name.Length == secretName.Length + 7 && name.StartsWith(secretName + "-", StringComparison.Ordinal));
    }
}
