namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// The items of one table over time, so a restore can ask "what was there at 12:00?". Two parts: the generated
/// sessions the account starts with (computed from <see cref="SessionSeries"/>, each alive from its
/// <c>created_at</c> until deleted or removed by TTL), and items written through the API (kept as versions with
/// the time they were written and the time they were deleted). A restored copy holds the source's items alive at
/// the restore time, from the moment the copy exists. Positions give a stable scan order: generated items first,
/// then written items in the order their keys first appeared. Thread-safe.
/// </summary>
internal sealed partial class TableItems
{
    private readonly Lock _gate = new();
    private readonly SessionSeries? _series;
    private readonly int[]? _subset;
    private readonly long _baseFromMs;
    private readonly int _seed;
    private readonly long _ttlDelayMs;
    private readonly ulong _lagSeries;
    private long[]? _deletedAtMs;
    private readonly Dictionary<string, OverlayEntry> _overlay = new(StringComparer.Ordinal);
    private readonly List<OverlayEntry> _overlayOrder = [];
    private long? _ttlSinceMs;
    private string? _ttlAttribute;

    private sealed class OverlayEntry(IReadOnlyDictionary<string, DynamoValue> key, int position)
    {
        public IReadOnlyDictionary<string, DynamoValue> Key { get; } = key;
        public int Position { get; } = position;
        public List<ItemVersion> Versions { get; } = [];
    }

    private sealed record ItemVersion(long FromMs, long ToMs, IReadOnlyDictionary<string, DynamoValue> Attributes);

    public TableItems(TableKeys keys, int seed, string name, TimeSpan ttlDelay, SessionSeries? series = null, int[]? subset = null, DateTimeOffset? baseFrom = null)
    {
        Keys = keys;
        _seed = seed;
        _ttlDelayMs = (long)ttlDelay.TotalMilliseconds;
        _lagSeries = Deterministic.Hash(name + ":ttl-lag");
        _series = series;
        _subset = subset;
        _baseFromMs = baseFrom?.ToUnixTimeMilliseconds() ?? long.MinValue;
    }

    public TableKeys Keys { get; }

    private int BaseCount => _subset?.Length ?? _series?.Count ?? 0;
    private int PositionCount => BaseCount + _overlayOrder.Count;
    private int SeriesIndex(int position) => _subset is null ? position : _subset[position];

    /// <summary>Turns TTL on for <paramref name="attribute"/> from <paramref name="since"/>: expired items go within the TTL delay after.</summary>
    public void EnableTtl(string attribute, DateTimeOffset since)
    {
        lock (_gate)
        {
            _ttlAttribute = attribute;
            _ttlSinceMs = since.ToUnixTimeMilliseconds();
        }
    }

    /// <summary>Turns TTL off at <paramref name="at"/>: what it deleted until then stays deleted.</summary>
    public void DisableTtl(DateTimeOffset at)
    {
        var atMs = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            for (var p = 0; p < BaseCount; p++)
                if (TtlDeletionMs(p) is { } d && d <= atMs && DeletedAt(p) > d) MarkDeleted(p, d);
            foreach (var entry in _overlayOrder)
                for (var v = 0; v < entry.Versions.Count; v++)
                    if (TtlDeletionMs(entry.Versions[v].Attributes, entry.Position) is { } d && d <= atMs && d < entry.Versions[v].ToMs && d >= entry.Versions[v].FromMs)
                        entry.Versions[v] = entry.Versions[v] with { ToMs = d };
            _ttlSinceMs = null;
            _ttlAttribute = null;
        }
    }

    /// <summary>How many items the table held at <paramref name="at"/>.</summary>
    public int CountAt(DateTimeOffset at)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var count = 0;
            for (var p = 0; p < PositionCount; p++)
                if (AliveAt(p, t)) count++;
            return count;
        }
    }

    /// <summary>A copy holding the items alive at <paramref name="at"/>, present from <paramref name="copyFrom"/> (a restore or a backup).</summary>
    public TableItems SnapshotAt(DateTimeOffset at, string copyName, DateTimeOffset copyFrom)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var subset = new List<int>();
            for (var p = 0; p < BaseCount; p++)
                if (AliveAt(p, t)) subset.Add(SeriesIndex(p));
            var copy = new TableItems(Keys, _seed, copyName, TimeSpan.FromMilliseconds(_ttlDelayMs), _series, [.. subset], copyFrom);
            foreach (var entry in _overlayOrder)
                if (VersionAt(entry, t) is { } version)
                    copy.Write(entry.Key, version.Attributes, copyFrom.ToUnixTimeMilliseconds());
            return copy;
        }
    }

    /// <summary>The item with <paramref name="key"/> at <paramref name="at"/>, or null.</summary>
    public StoredItem? Get(IReadOnlyDictionary<string, DynamoValue> key, DateTimeOffset at)
    {
        lock (_gate)
            return Locate(key) is { } p && AliveAt(p, at.ToUnixTimeMilliseconds()) ? ItemAt(p, at.ToUnixTimeMilliseconds()) : null;
    }

    /// <summary>
    /// Writes (<paramref name="item"/> not null) or deletes an item at <paramref name="at"/>, after checking
    /// <paramref name="condition"/> against the current item (null when absent). Returns the old item, or throws what
    /// the condition throws.
    /// </summary>
    public StoredItem? Change(IReadOnlyDictionary<string, DynamoValue> key, IReadOnlyDictionary<string, DynamoValue>? item, DateTimeOffset at, Action<StoredItem?>? condition = null)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var position = Locate(key);
            var old = position is { } p && AliveAt(p, t) ? ItemAt(p, t) : null;
            condition?.Invoke(old);
            if (old is not null)
            {
                if (position < BaseCount) MarkDeleted(position.Value, t);
                else
                {
                    var entry = _overlayOrder[position!.Value - BaseCount];
                    entry.Versions[^1] = entry.Versions[^1] with { ToMs = t };
                }
            }
            if (item is not null) Write(key, item, t);
            return old;
        }
    }

    private void Write(IReadOnlyDictionary<string, DynamoValue> key, IReadOnlyDictionary<string, DynamoValue> item, long fromMs)
    {
        var text = Keys.Text(key);
        if (!_overlay.TryGetValue(text, out var entry))
        {
            entry = new OverlayEntry(key, BaseCount + _overlayOrder.Count);
            _overlay[text] = entry;
            _overlayOrder.Add(entry);
        }
        entry.Versions.Add(new ItemVersion(fromMs, long.MaxValue, item));
    }

    private bool AliveAt(int position, long t)
    {
        if (position >= BaseCount) return VersionAt(_overlayOrder[position - BaseCount], t) is not null;
        var i = SeriesIndex(position);
        if (Math.Max(_series!.CreatedAt(i) * 1000, _baseFromMs) > t) return false;
        if (DeletedAt(position) <= t) return false;
        return TtlDeletionMs(position) is not { } d || d > t;
    }

    private ItemVersion? VersionAt(OverlayEntry entry, long t)
    {
        foreach (var v in entry.Versions)
            if (v.FromMs <= t && t < v.ToMs && (TtlDeletionMs(v.Attributes, entry.Position) is not { } d || d > t)) return v;
        return null;
    }

    private StoredItem ItemAt(int position, long t) => position < BaseCount
        ? StoredItem.From(_series![SeriesIndex(position)])
        : new StoredItem(VersionAt(_overlayOrder[position - BaseCount], t)!.Attributes);

    /// <summary>The position of a key (alive or not), or null when the table never held it.</summary>
    private int? Locate(IReadOnlyDictionary<string, DynamoValue> key)
    {
        if (_overlay.TryGetValue(Keys.Text(key), out var entry)) return entry.Position;
        if (_series is null || Keys.RangeKey is null || key[Keys.RangeKey].Text is not { } sessionId) return null;
        if (_series.IndexOf(sessionId) is not { } i) return null;
        if (SessionSeries.CustomerId(_series.CustomerOf(i)) != key[Keys.HashKey].Text) return null;
        if (_subset is null) return i;
        var at = Array.BinarySearch(_subset, i);
        return at >= 0 ? at : null;
    }

    private long DeletedAt(int position) => _deletedAtMs is { } d && d[position] != 0 ? d[position] : long.MaxValue;

    private void MarkDeleted(int position, long t)
    {
        _deletedAtMs ??= new long[BaseCount];
        _deletedAtMs[position] = t;
    }

    /// <summary>When TTL removes generated item <paramref name="position"/>, or null when TTL is off or does not apply.</summary>
    private long? TtlDeletionMs(int position)
    {
        if (_ttlSinceMs is not { } since || _series is null) return null;
        var i = SeriesIndex(position);
        long? seconds = _ttlAttribute switch { "expires_at" => _series.ExpiresAt(i), "created_at" => _series.CreatedAt(i), _ => null };
        return seconds is { } s ? Math.Max(s * 1000, since) + Lag(i) : null;
    }

    private long? TtlDeletionMs(IReadOnlyDictionary<string, DynamoValue> item, int position)
    {
        if (_ttlSinceMs is not { } since || _ttlAttribute is null || item.GetValueOrDefault(_ttlAttribute)?.AsNumber is not { } seconds) return null;
        if (seconds is < 0 or > 253402300799) return null;
        return Math.Max((long)seconds * 1000, since) + Lag(position + 1_000_000_000);
    }

    /// <summary>TTL deletes an expired item some time within the TTL delay, not at once.</summary>
    private long Lag(long n) => 1 + (long)(Deterministic.Unit(Deterministic.Key(_seed, _lagSeries, n)) * _ttlDelayMs);
}
