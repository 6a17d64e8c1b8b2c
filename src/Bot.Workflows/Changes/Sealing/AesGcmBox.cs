using System.Security.Cryptography;

namespace Bot.Workflows.Changes.Sealing;

/// <summary>AES-256-GCM with a random 96-bit nonce: the box is nonce ‖ ciphertext ‖ 128-bit tag; the associated data binds it to its use.</summary>
public static class AesGcmBox
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var box = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = box.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, box.AsSpan(NonceSize, plaintext.Length), box.AsSpan(NonceSize + plaintext.Length), associatedData);
        return box;
    }

    /// <summary>The plaintext; throws <see cref="CryptographicException"/> when the box was altered or the key or associated data differ.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> box, ReadOnlySpan<byte> associatedData)
    {
        if (box.Length < NonceSize + TagSize) throw new CryptographicException("The sealed box is too short.");
        var length = box.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(box[..NonceSize], box.Slice(NonceSize, length), box[(NonceSize + length)..], plaintext, associatedData);
        return plaintext;
    }
}
