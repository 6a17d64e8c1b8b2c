namespace Bot.Integrations.Aws.Kms;

/// <summary>
/// The KMS operations the bot uses: data keys for the secret values of configuration changes (envelope encryption). Over
/// AWSSDK.KeyManagementService; errors are <see cref="AwsServiceException"/>s.
/// </summary>
[AwsClient("kms")]
public interface IKmsClient
{
    /// <summary>A new 256-bit data key under <paramref name="keyId"/>: its plaintext and the same key encrypted by KMS.</summary>
    Task<(byte[] Plaintext, byte[] Ciphertext)> GenerateDataKeyAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>The plaintext of a data key KMS encrypted under <paramref name="keyId"/>.</summary>
    Task<byte[]> DecryptAsync(string keyId, byte[] ciphertext, CancellationToken cancellationToken);
}
