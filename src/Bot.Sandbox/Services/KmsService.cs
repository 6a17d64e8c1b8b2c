using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// KMS (AWS JSON 1.1, target prefix <c>TrentService</c>, signing name <c>kms</c>): GenerateDataKey and Decrypt, enough for
/// envelope encryption. The account has one customer managed key, <see cref="KeyId"/>, also reached as
/// <see cref="AliasName"/> or its ARN; its key material is derived from the seed, so a ciphertext stays readable across
/// restarts of the same account. A ciphertext names its key and is AES-GCM under that key (a tampered one fails with
/// InvalidCiphertextException, another key's with IncorrectKeyException, as KMS does).
/// </summary>
internal sealed class KmsService(SandboxAccount account) : IJsonService
{
    public const string KeyId = "7f3c9a2e-5b1d-4e8f-9a6c-0d2b4e6f8a10";
    public const string AliasName = "alias/securebase-bot";

    public string TargetPrefix => "TrentService";
    public string SigningName => "kms";
    public WireProtocol Protocol => WireProtocol.Json11;
    public string ErrorNamespace => "";
    public string ValidationCode => "ValidationException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    private string KeyArn => $"arn:aws:kms:{account.Options.Region}:{account.Options.AccountId}:key/{KeyId}";

    public bool Supports(string operation) => operation is "GenerateDataKey" or "Decrypt";

    public object Invoke(string operation, JsonInput input)
    {
        switch (operation)
        {
            case "GenerateDataKey":
                Resolve(input.String("KeyId") ?? throw new AwsException("ValidationException", "KeyId is required."));
                var size = input.String("KeySpec") switch
                {
                    "AES_256" => 32,
                    "AES_128" => 16,
                    null => input.Long("NumberOfBytes") is { } n and >= 1 and <= 1024 ? (int)n : throw new AwsException("ValidationException", "KeySpec or NumberOfBytes is required."),
                    var other => throw new AwsException("ValidationException", $"KeySpec {other} is not valid."),
                };
                var plaintext = RandomNumberGenerator.GetBytes(size);
                return new { CiphertextBlob = Encrypt(plaintext), Plaintext = plaintext, KeyId = KeyArn };
            case "Decrypt":
                if (input.String("KeyId") is { } named) Resolve(named);
                var blob = Convert.FromBase64String(input.String("CiphertextBlob") ?? throw new AwsException("ValidationException", "CiphertextBlob is required."));
                return new { Plaintext = Decrypt(blob), KeyId = KeyArn, EncryptionAlgorithm = "SYMMETRIC_DEFAULT" };
            default:
                throw new AwsException("UnknownOperationException", $"The sandbox's KMS has no operation {operation}.");
        }
    }

    private void Resolve(string keyId)
    {
        if (keyId == KeyId || keyId == KeyArn || keyId == AliasName || keyId == $"arn:aws:kms:{account.Options.Region}:{account.Options.AccountId}:{AliasName}") return;
        throw new AwsException("NotFoundException", $"Key '{keyId}' does not exist", 400);
    }

    private byte[] Material() => SHA256.HashData(Encoding.UTF8.GetBytes($"sandbox-kms/{account.Options.Seed}/{KeyId}"));

    private static readonly byte[] Header = Encoding.ASCII.GetBytes(KeyId);

    private byte[] Encrypt(byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var box = new byte[Header.Length + 12 + plaintext.Length + 16];
        Header.CopyTo(box, 0);
        nonce.CopyTo(box, Header.Length);
        using var aes = new AesGcm(Material(), 16);
        aes.Encrypt(nonce, plaintext, box.AsSpan(Header.Length + 12, plaintext.Length), box.AsSpan(box.Length - 16), Header);
        return box;
    }

    private byte[] Decrypt(byte[] box)
    {
        if (box.Length < Header.Length + 28) throw new AwsException("InvalidCiphertextException", "The ciphertext is not valid.");
        if (!box.AsSpan(0, Header.Length).SequenceEqual(Header)) throw new AwsException("IncorrectKeyException", "The ciphertext was encrypted under another key.");
        var length = box.Length - Header.Length - 28;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(Material(), 16);
            aes.Decrypt(box.AsSpan(Header.Length, 12), box.AsSpan(Header.Length + 12, length), box.AsSpan(box.Length - 16), plaintext, Header);
        }
        catch (CryptographicException)
        {
            throw new AwsException("InvalidCiphertextException", "The ciphertext is not valid.");
        }
        return plaintext;
    }
}
