namespace Bot.Sandbox.Account.S3;

/// <summary>One listing entry of ListObjectVersions: a version or delete marker, and whether it is the key's latest.</summary>
internal sealed record VersionEntry(ObjectVersion Version, bool IsLatest);

/// <summary>A page of ListObjectVersions or ListObjectsV2.</summary>
internal sealed record VersionListing(IReadOnlyList<VersionEntry> Entries, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? NextKeyMarker, string? NextVersionIdMarker);

/// <summary>
/// A <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c> bucket: objects with their versions (oldest first), the
/// versioning status (Enabled, Suspended, or never enabled) and the lifecycle rules. Writes follow S3's versioning
/// rules: with versioning on a write adds a version and a delete adds a delete marker; suspended or never enabled,
/// they replace the "null" version. Thread-safe.
/// </summary>
internal sealed class ReportBucket
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, List<ObjectVersion>> _objects = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _versioningFault;
    private readonly int _seed;
    private string? _versioning;
    private long _versionIds;

    public ReportBucket(string name, string environment, DateTimeOffset created, string? versioning, IReadOnlyList<LifecycleRule>? lifecycle, int seed, Func<string, string?> versioningFault)
    {
        Name = name;
        Environment = environment;
        Created = created;
        _versioning = versioning;
        Lifecycle = lifecycle;
        _seed = seed;
        _versioningFault = versioningFault;
    }

    public string Name { get; }
    public string Environment { get; }
    public DateTimeOffset Created { get; }

    /// <summary>The lifecycle rules, or null when the bucket has no lifecycle configuration.</summary>
    public IReadOnlyList<LifecycleRule>? Lifecycle { get; set; }

    /// <summary>Enabled, Suspended, or null when versioning was never enabled (a <c>bucket-versioning</c> fault overrides it).</summary>
    public string? Versioning => _versioningFault(Name) switch
    {
        "Suspended" => "Suspended",
        "Disabled" => null,
        _ => _versioning,
    };

    /// <summary>PutBucketVersioning.</summary>
    public void SetVersioning(string status)
    {
        lock (_gate) _versioning = status;
    }

    /// <summary>A new version id, S3-shaped: 32 characters of letters, digits, '.' and '_'.</summary>
    public string NewVersionId()
    {
        var n = Interlocked.Increment(ref _versionIds);
        var chars = new char[32];
        var state = Deterministic.Key(_seed, Deterministic.Hash(Name + ":version"), n);
        for (var i = 0; i < chars.Length; i++)
        {
            state = Deterministic.Mix(state + (ulong)i);
            chars[i] = Alphabet[(int)(state % (ulong)Alphabet.Length)];
        }
        return new string(chars);
    }

    /// <summary>PutObject and CopyObject: the new version (id "null" unless versioning is on).</summary>
    public ObjectVersion Put(Func<string, ObjectVersion> create)
    {
        lock (_gate)
        {
            var enabled = Versioning == "Enabled";
            var version = create(enabled ? NewVersionId() : "null");
            Add(version, replaceNull: !enabled);
            return version;
        }
    }

    /// <summary>
    /// DeleteObject. Without a version id: a delete marker when versioning is on or suspended (id "null" when
    /// suspended), the object removed when it never was. With one: that version (or marker) is removed for good.
    /// Returns what was removed or created, or null when there was nothing.
    /// </summary>
    public ObjectVersion? Delete(string key, string? versionId, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (versionId is not null)
            {
                if (!_objects.TryGetValue(key, out var versions)) return null;
                var target = versions.FirstOrDefault(v => v.VersionId == versionId);
                if (target is null) return null;
                versions.Remove(target);
                if (versions.Count == 0) _objects.Remove(key);
                return target;
            }
            switch (Versioning)
            {
                case "Enabled":
                    var marker = ObjectVersion.DeleteMarker(key, NewVersionId(), at);
                    Add(marker, replaceNull: false);
                    return marker;
                case "Suspended":
                    var nullMarker = ObjectVersion.DeleteMarker(key, "null", at);
                    Add(nullMarker, replaceNull: true);
                    return nullMarker;
                default:
                    return _objects.Remove(key, out var removed) ? removed[^1] : null;
            }
        }
    }

    /// <summary>The key's latest version (possibly a delete marker), or null.</summary>
    public ObjectVersion? Latest(string key)
    {
        lock (_gate) return _objects.TryGetValue(key, out var versions) ? versions[^1] : null;
    }

    public ObjectVersion? Version(string key, string versionId)
    {
        lock (_gate) return _objects.TryGetValue(key, out var versions) ? versions.FirstOrDefault(v => v.VersionId == versionId) : null;
    }

    /// <summary>
    /// ListObjectVersions: keys in order, each key's versions newest first, after (<paramref name="keyMarker"/>,
    /// <paramref name="versionIdMarker"/>); with a delimiter, deeper keys roll up into common prefixes.
    /// </summary>
    public VersionListing ListVersions(string prefix, string? delimiter, string? keyMarker, string? versionIdMarker, int maxKeys, bool currentOnly = false)
    {
        lock (_gate)
        {
            var entries = new List<VersionEntry>();
            var prefixes = new List<string>();
            string? lastKey = null, lastVersion = null;
            var skippingVersions = versionIdMarker is not null;
            foreach (var (key, versions) in _objects)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (keyMarker is not null)
                {
                    var order = string.CompareOrdinal(key, keyMarker);
                    if (order < 0 || (order == 0 && versionIdMarker is null)) continue;
                    if (delimiter is not null && keyMarker.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(keyMarker, StringComparison.Ordinal)) continue;
                }
                if (currentOnly && versions[^1].IsDeleteMarker) continue;
                if (delimiter is { Length: > 0 } && key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) is var cut and >= 0)
                {
                    var common = key[..(cut + delimiter.Length)];
                    if (prefixes.Count > 0 && prefixes[^1] == common) continue;
                    if (entries.Count + prefixes.Count == maxKeys) return new VersionListing(entries, prefixes, true, lastKey, lastVersion);
                    prefixes.Add(common);
                    (lastKey, lastVersion) = (common, null);
                    continue;
                }
                for (var i = versions.Count - 1; i >= 0; i--)
                {
                    var v = versions[i];
                    if (skippingVersions && key == keyMarker)
                    {
                        if (v.VersionId == versionIdMarker) skippingVersions = false;
                        continue;
                    }
                    if (currentOnly && i != versions.Count - 1) break;
                    if (entries.Count + prefixes.Count == maxKeys) return new VersionListing(entries, prefixes, true, lastKey, lastVersion);
                    entries.Add(new VersionEntry(v, i == versions.Count - 1));
                    (lastKey, lastVersion) = (key, v.VersionId);
                }
                if (key == keyMarker) skippingVersions = false;
            }
            return new VersionListing(entries, prefixes, false, null, null);
        }
    }

    /// <summary>Adds a seeded or written version on top of the key's versions.</summary>
    public void Add(ObjectVersion version, bool replaceNull)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(version.Key, out var versions)) _objects[version.Key] = versions = [];
            if (replaceNull) versions.RemoveAll(v => v.VersionId == "null");
            versions.Add(version);
        }
    }
}
