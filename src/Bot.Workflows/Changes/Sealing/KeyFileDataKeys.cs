using System.Security.Cryptography;

namespace Bot.Workflows.Changes.Sealing;

/// <summary>
/// Data keys wrapped by a master key kept in a file beside the SQLite store (<c>bot.db.secrets.key</c>, readable by the
/// bot's user alone), for the shell and a single instance on SQLite: 32 random bytes, made on first use. Anyone who has
/// both the store and this file can read the values of a change still in flight — keep them apart in backups, or use KMS.
/// </summary>
public sealed class KeyFileDataKeys(string path) : IDataKeys
{
    private readonly Lock _gate = new();
    private byte[]? _master;

    public string Source => "file";

    /// <summary>The key file that goes with the SQLite store at <paramref name="storePath"/>.</summary>
    public static string PathFor(string storePath) => storePath + ".secrets.key";

    public Task<DataKey> NewKeyAsync(CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        return Task.FromResult(new DataKey(key, Convert.ToBase64String(AesGcmBox.Seal(Master(), key, "data-key"u8))));
    }

    public Task<byte[]> UnwrapAsync(string wrapped, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(AesGcmBox.Open(Master(), Convert.FromBase64String(wrapped), "data-key"u8));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new Ports.PortException("SecretsKeyMismatch", $"the key file {path} does not open this change's sealed values (was it replaced?)", transient: false, e);
        }
    }

    private byte[] Master()
    {
        lock (_gate)
        {
            if (_master is not null) return _master;
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.Length != 32) throw new Ports.PortException("SecretsKeyInvalid", $"the key file {path} is not 32 bytes", transient: false);
                return _master = existing;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var key = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using (var file = new FileStream(path, options)) file.Write(key);
                return _master = key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
                return _master = File.ReadAllBytes(path);
            }
        }
    }
}
