using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bot.Workflows.Changes;

/// <summary>
/// One environment variable edit. For a key that looks secret, <see cref="From"/> and <see cref="To"/> hold masks
/// (never the value) and the new value travels encrypted (<see cref="ChangeData.Sealed"/>).
/// </summary>
public sealed record ConfigEdit(string Key, string? From, string? To, bool Secret)
{
    public bool Unset => To is null;
}

/// <summary>A function that reads a secret, and the environment variable through which it finds it.</summary>
public sealed record SecretReader(string Function, string Variable);

/// <summary>
/// What a change does, fixed when it is requested: nothing about it can be edited afterwards, and every approval binds
/// to its <see cref="Digest"/> (function, alias, versions and their code hashes, concurrency, the configuration diff with
/// hashes of secret values, the revisions read at the request).
/// </summary>
public sealed partial class ChangeSpec
{
    public ChangeKind Kind { get; set; }
    public string Environment { get; set; } = "";
    public string Function { get; set; } = "";
    public string Alias { get; set; } = "PROD";

    // Alias moves (deploy, rollback)
    public string? FromVersion { get; set; }
    public string? ToVersion { get; set; }
    public string? FromCodeSha256 { get; set; }
    public string? ToCodeSha256 { get; set; }
    public string? FromDescription { get; set; }
    public string? ToDescription { get; set; }
    /// <summary>
    /// The alias's weighted routing when the change was requested (<c>AdditionalVersionWeights</c>: version → share of
    /// traffic); null when it sent everything to <see cref="FromVersion"/>. A move always clears it, and says so.
    /// </summary>
    public Dictionary<string, double>? FromWeights { get; set; }

    // Concurrency (reserved on the function, provisioned on the alias); null = none
    public int? ConcurrencyFrom { get; set; }
    public int? ConcurrencyTo { get; set; }

    // Configuration
    public List<ConfigEdit> Edits { get; set; } = [];
    public int? MemoryFrom { get; set; }
    public int? MemoryTo { get; set; }
    public int? TimeoutFrom { get; set; }
    public int? TimeoutTo { get; set; }
    /// <summary>The function's revision when the configuration change was requested: it must still be current when it runs.</summary>
    public string? SettingsRevisionId { get; set; }
    /// <summary>A keyed hash of each sealed new value, by key (bound into the digest without revealing the value).</summary>
    public Dictionary<string, string> SealedValueHashes { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The random salt of this change's value fingerprints (<see cref="Fingerprint"/>), so they cannot be looked up in a dictionary.</summary>
    public string? SecretSalt { get; set; }

    /// <summary>A data change (restore, clean-up, capacity, DR drill): what it does, fixed at the request; null for the Lambda changes.</summary>
    public Recovery.OperationPlan? Operation { get; set; }

    // Secret rotation: the secret, the version AWSCURRENT was on at the request, the rotation function and its log group,
    // and the functions that read it. Never a value.
    public string? Secret { get; set; }
    public string? SecretArn { get; set; }
    public string? SecretVersion { get; set; }
    public string? RotationFunction { get; set; }
    public string? RotationLogGroup { get; set; }
    public List<SecretReader> SecretReaders { get; set; } = [];

    public bool MovesAlias => Kind is ChangeKind.Deploy or ChangeKind.Rollback;

    /// <summary>True when the alias split its traffic when the change was requested.</summary>
    public bool HadWeights => FromWeights is { Count: > 0 };

    public bool RotatesSecret => Kind == ChangeKind.SecretRotation;

    /// <summary>After it is applied the change is followed (a deploy's errors, a rotation's stages) before it completes.</summary>
    public bool IsFollowed => MovesAlias || RotatesSecret;

    /// <summary>A deploy or rollback: <paramref name="alias"/> of <paramref name="function"/> from one published version to another.</summary>
    public static ChangeSpec AliasMove(ChangeKind kind, string environment, string function, string alias, Ports.VersionInfo from, Ports.VersionInfo to) => new()
    {
        Kind = kind,
        Environment = environment,
        Function = function,
        Alias = alias,
        FromVersion = from.Version,
        ToVersion = to.Version,
        FromCodeSha256 = from.CodeSha256,
        ToCodeSha256 = to.CodeSha256,
        FromDescription = from.Description,
        ToDescription = to.Description,
    };

    /// <summary>A short phrase for titles and the audit trail; never a secret value.</summary>
    public string Describe() => Kind switch
    {
        _ when Operation is { } operation => operation.Describe(),
        ChangeKind.Deploy or ChangeKind.Rollback => $"{Kind.ToString().ToLowerInvariant()} {Function}: {Alias} {FromVersion} → {ToVersion}",
        ChangeKind.ReservedConcurrency => $"reserved concurrency of {Function}: {Show(ConcurrencyFrom)} → {Show(ConcurrencyTo)}",
        ChangeKind.ProvisionedConcurrency => $"provisioned concurrency of {Function}:{Alias}: {Show(ConcurrencyFrom)} → {Show(ConcurrencyTo)}",
        ChangeKind.SecretRotation => $"rotate secret {Secret} (AWSCURRENT now version {ShortVersion(SecretVersion)})",
        _ => $"configuration of {Function}: {string.Join(", ", ConfigSummary())}",
    };

    public IEnumerable<string> ConfigSummary()
    {
        foreach (var e in Edits) yield return e.Unset ? $"unset {e.Key}" : $"{e.Key}={e.To}";
        if (MemoryTo is { } m) yield return $"memory {MemoryFrom} → {m} MB";
        if (TimeoutTo is { } t) yield return $"timeout {TimeoutFrom} → {t} s";
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";

    /// <summary>A secret version id as cards show it: its first 8 characters.</summary>
    public static string ShortVersion(string? versionId) => versionId is { Length: > 8 } v ? v[..8] : versionId ?? "?";

    /// <summary>SHA-256 (hex) over a canonical serialization of everything the change does.</summary>
    public string Digest()
    {
        var parts = new List<object?>
        {
            Kind.ToString(), Environment, Function, Alias, FromVersion, ToVersion, FromCodeSha256, ToCodeSha256,
            ConcurrencyFrom, ConcurrencyTo,
            Edits.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new object?[] { e.Key, e.From, e.To, e.Secret }).ToList(),
            MemoryFrom, MemoryTo, TimeoutFrom, TimeoutTo, SettingsRevisionId,
            SealedValueHashes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new[] { kv.Key, kv.Value }).ToList(),
        };
        // Added later: present only when set, so the digests of changes saved before them stay the same.
        if (HadWeights) parts.Add(FromWeights!.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new object[] { kv.Key, kv.Value }).ToList());
        if (SecretSalt is not null) parts.Add(SecretSalt);
        // Only a rotation adds its part, so the digests of the other kinds stay what they were.
        if (RotatesSecret) parts.Add(new object?[] { Secret, SecretArn, SecretVersion, RotationFunction, SecretReaders.Select(r => r.Function + "=" + r.Variable).Order(StringComparer.Ordinal).ToList() });
        // A data change's plan is bound too; the Lambda changes' canonical form is as it always was.
        var canonical = Operation is { } operation ? JsonSerializer.Serialize(new object?[] { operation.Canonical(), parts }) : JsonSerializer.Serialize(parts);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A share of traffic in words: <c>0.1</c> → <c>10%</c>.</summary>
    public static string Share(double weight) => (weight * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>How the alias split its traffic when the change was requested, e.g. "90% to v7, 10% to v6".</summary>
    public string RoutingBefore() => string.Join(", ", (FromWeights ?? []).Where(w => w.Value > 0).Select(w => $"{Share(w.Value)} to v{w.Key}")
        .Prepend($"{Share(1 - (FromWeights ?? []).Values.Sum())} to v{FromVersion}"));

    /// <summary>True for keys whose values are masked everywhere (cards, audit, logs).</summary>
    public static bool LooksSecret(string key) => SecretKey().IsMatch(key);

    /// <summary>
    /// What a secret value shows as: never the value, only that it is set and the start of its fingerprint under this
    /// change's salt (which tells two values apart on one card, and nothing to someone guessing values).
    /// </summary>
    public string Mask(string value) => "•••• (" + Fingerprint(value)[..8] + ")";

    /// <summary>HMAC-SHA256 of <paramref name="value"/> keyed with <see cref="SecretSalt"/> (set here on first use).</summary>
    public string Fingerprint(string value)
    {
        SecretSalt ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(SecretSalt), Encoding.UTF8.GetBytes(value)));
    }

    [GeneratedRegex("SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|PRIVATE|API_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH|SIGNING|DSN|CONNECTION_?STRING", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();
}
