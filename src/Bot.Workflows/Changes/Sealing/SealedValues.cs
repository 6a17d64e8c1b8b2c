namespace Bot.Workflows.Changes.Sealing;

/// <summary>
/// The new values of secret keys that a change must apply later, encrypted at rest: each value under AES-GCM with a data
/// key of this change alone, and that data key wrapped by the master key (<see cref="KeySource"/>: KMS or the key file).
/// The change erases this record when it ends, however it ends; with its data key gone, no copy of a ciphertext can be
/// read again. Never shown, logged or audited.
/// </summary>
public sealed class SealedValues
{
    /// <summary>Where the master key that wraps <see cref="WrappedKey"/> lives, e.g. <c>kms:alias/securebase-bot</c> or <c>file</c>.</summary>
    public string KeySource { get; set; } = "";

    /// <summary>The change's data key, encrypted by the master key (base64).</summary>
    public string WrappedKey { get; set; } = "";

    /// <summary>Each value, by key: base64 of nonce (12 bytes), ciphertext and tag (16 bytes).</summary>
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);
}
