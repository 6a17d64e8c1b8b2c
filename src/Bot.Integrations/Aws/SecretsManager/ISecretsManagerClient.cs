namespace Bot.Integrations.Aws.SecretsManager;

/// <summary>
/// The Secrets Manager calls the bot makes (AWS JSON 1.1, target prefix <c>secretsmanager</c>; our own SigV4 client, as no
/// AWSSDK.SecretsManager package is served). Metadata only: the bot never reads a secret's value (there is no
/// GetSecretValue here, and its role is not granted one).
/// </summary>
[AwsClient("secretsmanager")]
public interface ISecretsManagerClient
{
    /// <summary>Every secret whose name starts with <paramref name="namePrefix"/> (all pages).</summary>
    Task<IReadOnlyList<SecretDescription>> ListSecretsAsync(string namePrefix, CancellationToken cancellationToken);

    /// <summary>One secret's metadata: rotation, dates, and which version holds which staging label.</summary>
    Task<SecretDescription> DescribeSecretAsync(string secretId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a rotation with the secret's configured rotation function and rules. <paramref name="clientRequestToken"/>
    /// (32–64 characters) becomes the new version's id, so a repeat of the same request starts nothing new.
    /// </summary>
    [ChangesAws]
    Task<RotateSecretResponse> RotateSecretAsync(string secretId, string clientRequestToken, CancellationToken cancellationToken);
}
