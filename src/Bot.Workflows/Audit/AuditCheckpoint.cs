using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Audit;

/// <summary>
/// A point of the chain the bot checked: record <paramref name="Sequence"/> had <paramref name="Hash"/> when it was checked at
/// <paramref name="At"/>, signed with an HMAC-SHA256 (<paramref name="Mac"/>) under a data key of the bot's master key
/// (<paramref name="KeySource"/>: KMS, or the key file beside SQLite), kept wrapped (<paramref name="WrappedKey"/>). Whoever can
/// write the store but not use that key cannot make one, so a check can start at the latest checkpoint instead of the genesis.
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset At, string KeySource, string WrappedKey, string Mac);

/// <summary>Signs checkpoints and checks their signatures with the bot's data keys (<see cref="IDataKeys"/>).</summary>
public sealed class AuditCheckpointSigner(IDataKeys? keys)
{
    /// <summary>Whether this bot has a key to sign with (none: a shared DynamoDB store without a KMS key; every check starts at the genesis).</summary>
    public bool CanSign => keys is not null and not NoDataKeys;

    public async Task<AuditCheckpoint> SignAsync(long sequence, string hash, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = await keys!.NewKeyAsync(cancellationToken);
        return new AuditCheckpoint(sequence, hash, at, keys.Source, key.Wrapped, Mac(key.Key, sequence, hash, at));
    }

    /// <summary>Whether <paramref name="checkpoint"/> was signed by this bot's key: <see cref="CheckpointSignature"/>.</summary>
    public async Task<(CheckpointSignature Signature, string? Problem)> CheckAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        if (!CanSign || !string.Equals(checkpoint.KeySource, keys!.Source, StringComparison.Ordinal)) return (CheckpointSignature.OtherKey, null);
        byte[] key;
        try
        {
            key = await keys.UnwrapAsync(checkpoint.WrappedKey, cancellationToken);
        }
        catch (PortException e) when (!e.Transient)
        {
            return (CheckpointSignature.Forged, $"its key does not open with the bot's key ({e.Message})");
        }
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Mac(key, checkpoint.Sequence, checkpoint.Hash, checkpoint.At)), FromHexOrEmpty(checkpoint.Mac))
            ? (CheckpointSignature.Valid, null)
            : (CheckpointSignature.Forged, "its signature does not match what it says");
    }

    private static string Mac(byte[] key, long sequence, string hash, DateTimeOffset at) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"securebase-audit-checkpoint\n{sequence}\n{hash}\n{at.UtcTicks}"))));

    private static byte[] FromHexOrEmpty(string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}

/// <summary>What the signature of a checkpoint says.</summary>
public enum CheckpointSignature
{
    /// <summary>Signed by this bot's key: the chain up to it was checked.</summary>
    Valid,
    /// <summary>Signed under another master key (the bot's key changed since) or the bot has none: it cannot be told, and is not used.</summary>
    OtherKey,
    /// <summary>Not made by this bot's key: someone wrote it into the store.</summary>
    Forged,
}
