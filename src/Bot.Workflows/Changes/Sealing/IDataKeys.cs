namespace Bot.Workflows.Changes.Sealing;

/// <summary>A fresh data key: its bytes (use, then forget) and the same key wrapped by the master key (store this).</summary>
public sealed record DataKey(byte[] Key, string Wrapped);

/// <summary>
/// Where the data keys of sealed values come from (KMS when <c>Changes__SecretsKmsKeyId</c> is set; a key file beside the
/// SQLite store otherwise). Failures come back as <see cref="Ports.PortException"/>.
/// </summary>
public interface IDataKeys
{
    /// <summary>Names the master key, e.g. <c>kms:alias/securebase-bot</c> or <c>file</c>; a sealed record remembers it.</summary>
    string Source { get; }

    Task<DataKey> NewKeyAsync(CancellationToken cancellationToken);

    Task<byte[]> UnwrapAsync(string wrapped, CancellationToken cancellationToken);
}

/// <summary>No master key: the store is shared by several instances and no KMS key is configured. Sealing is refused.</summary>
public sealed class NoDataKeys : IDataKeys
{
    public string Source => "none";

    private static Ports.PortException Missing() => new("NoSecretsKey",
        "secret values can only be kept encrypted with a KMS key when several instances share the DynamoDB store; set Changes__SecretsKmsKeyId", transient: false);

    public Task<DataKey> NewKeyAsync(CancellationToken cancellationToken) => throw Missing();

    public Task<byte[]> UnwrapAsync(string wrapped, CancellationToken cancellationToken) => throw Missing();
}
