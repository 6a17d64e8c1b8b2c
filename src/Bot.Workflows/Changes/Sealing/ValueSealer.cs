using System.Security.Cryptography;
using System.Text;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Sealing;

/// <summary>
/// Seals the new values of secret keys when a change is requested and opens them when it is applied. Each value is bound
/// to its function and key (the associated data), so a sealed value cannot be moved onto another key or function.
/// </summary>
public sealed class ValueSealer(IDataKeys keys)
{
    public async Task<SealedValues> SealAsync(string function, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var dataKey = await keys.NewKeyAsync(cancellationToken);
        try
        {
            var sealedValues = new SealedValues { KeySource = keys.Source, WrappedKey = dataKey.Wrapped };
            foreach (var (key, value) in values)
                sealedValues.Values[key] = Convert.ToBase64String(AesGcmBox.Seal(dataKey.Key, Encoding.UTF8.GetBytes(value), Context(function, key)));
            return sealedValues;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey.Key);
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> OpenAsync(string function, SealedValues sealedValues, CancellationToken cancellationToken)
    {
        if (sealedValues.KeySource != keys.Source)
            throw new PortException("SecretsKeyChanged", $"the sealed values were made with the {sealedValues.KeySource} key, and this bot now uses the {keys.Source} key; request the change again", transient: false);
        var dataKey = await keys.UnwrapAsync(sealedValues.WrappedKey, cancellationToken);
        try
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, box) in sealedValues.Values)
                values[key] = Encoding.UTF8.GetString(AesGcmBox.Open(dataKey, Convert.FromBase64String(box), Context(function, key)));
            return values;
        }
        catch (CryptographicException e)
        {
            throw new PortException("SealedValueAltered", "a sealed value of this change does not decrypt: it was altered, or belongs elsewhere; nothing was applied", transient: false, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] Context(string function, string key) => Encoding.UTF8.GetBytes($"securebase-bot/change-value/{function}/{key}");
}
