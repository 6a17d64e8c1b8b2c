namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// The one item store of the sandbox's DynamoDB tables: the items of one table over time, so reads see the table now
/// and a restore can ask "what was there at 12:00?". Generic over the key schema and the indexes
/// (<see cref="TableKeys"/>), it has two parts:
/// <list type="bullet">
/// <item>the generated items the table starts with, from an <see cref="IItemSource"/> (the user-sessions tables'
/// <see cref="SessionItems"/>, the activity feeds' <see cref="ActivityFeedItems"/>): computed, not stored. Only their
/// deletions are kept (by position), and TTL is computed from their attributes;</item>
/// <item>the items written through the API, kept as versions with the time they were written and the time they were
/// deleted or replaced.</item>
/// </list>
/// A restored copy (or a backup's) holds the source's items alive at the restore time, from the moment the copy exists:
/// the positions of the generated ones (no longer subject to the source's moving window) and copies of the written
/// ones. Positions give a stable scan order: generated items first, then written items (from <see cref="OverlayStart"/>
/// on) in the order their keys first appeared. Thread-safe.
/// </summary>
internal sealed partial class TableItems
{
    /// <summary>Positions of written items start here; generated items' positions are below.</summary>
    public const int OverlayStart = 1 << 30;

    private readonly Lock _gate = new();
    private readonly IItemSource? _source;
    private readonly int[]? _subset;
    private readonly long _baseFromMs;
    private readonly int _seed;
    private readonly long _ttlDelayMs;
    private readonly ulong _lagSeries;
    private readonly Dictionary<int, long> _deletedAtMs = [];
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

    /// <param name="source">The generated items, or null for a table that starts empty.</param>
    /// <param name="subset">For a copy: the source positions it holds, ascending (the source's window no longer applies).</param>
    /// <param name="baseFrom">For a copy: when it came to exist (no generated item is there before).</param>
    public TableItems(TableKeys keys, int seed, string name, TimeSpan ttlDelay, IItemSource? source = null, int[]? subset = null, DateTimeOffset? baseFrom = null)
    {
        Keys = keys;
        _seed = seed;
        _ttlDelayMs = (long)ttlDelay.TotalMilliseconds;
        _lagSeries = Deterministic.Hash(name + ":ttl-lag");
        _source = source;
        _subset = subset;
        _baseFromMs = baseFrom?.ToUnixTimeMilliseconds() ?? long.MinValue;
    }

    public TableKeys Keys { get; }

    /// <summary>The generated items' positions that can exist at <paramref name="t"/>, ascending.</summary>
    private IEnumerable<int> BasePositions(long t) =>
        _source is null ? [] : _subset is null ? _source.Positions(t) : Enumerable.Range(0, _subset.Length);

    /// <summary>Every position that can hold an item at <paramref name="t"/>, in scan order.</summary>
    private IEnumerable<int> AllPositions(long t) => BasePositions(t).Concat(_overlayOrder.Select(e => e.Position));

    private int SourceOf(int position) => _subset is null ? position : _subset[position];

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
            foreach (var p in BasePositions(atMs))
                if (TtlDeletionMs(p) is { } d && d <= atMs && DeletedAt(p) > d) _deletedAtMs[p] = d;
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
            foreach (var p in AllPositions(t))
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
            foreach (var p in BasePositions(t))
                if (AliveAt(p, t)) subset.Add(SourceOf(p));
            var copy = new TableItems(Keys, _seed, copyName, TimeSpan.FromMilliseconds(_ttlDelayMs), _source, [.. subset], copyFrom);
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
                if (position < OverlayStart) _deletedAtMs[position.Value] = t;
                else
                {
                    var entry = _overlayOrder[position!.Value - OverlayStart];
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
            entry = new OverlayEntry(key, OverlayStart + _overlayOrder.Count);
            _overlay[text] = entry;
            _overlayOrder.Add(entry);
        }
        entry.Versions.Add(new ItemVersion(fromMs, long.MaxValue, item));
    }

    private bool AliveAt(int position, long t)
    {
        if (position >= OverlayStart) return VersionAt(_overlayOrder[position - OverlayStart], t) is not null;
        var s = SourceOf(position);
        if (Math.Max(_source!.FromMs(s), _baseFromMs) > t) return false;
        if (_subset is null && _source.UntilMs(s) <= t) return false;
        if (DeletedAt(position) <= t) return false;
        return TtlDeletionMs(position) is not { } d || d > t;
    }

    private ItemVersion? VersionAt(OverlayEntry entry, long t)
    {
        foreach (var v in entry.Versions)
            if (v.FromMs <= t && t < v.ToMs && (TtlDeletionMs(v.Attributes, entry.Position) is not { } d || d > t)) return v;
        return null;
    }

    private StoredItem ItemAt(int position, long t) => position < OverlayStart
        ? _source!.Item(SourceOf(position))
        : new StoredItem(VersionAt(_overlayOrder[position - OverlayStart], t)!.Attributes);

    /// <summary>One attribute of the item at a position (a key attribute, for ordering), without building generated items.</summary>
    private DynamoValue? AttributeAt(int position, string name, long t) => position < OverlayStart
        ? _source!.Attribute(SourceOf(position), name)
        : VersionAt(_overlayOrder[position - OverlayStart], t)?.Attributes.GetValueOrDefault(name);

    /// <summary>The position of a key (alive or not), or null when the table never held it.</summary>
    private int? Locate(IReadOnlyDictionary<string, DynamoValue> key)
    {
        if (_overlay.TryGetValue(Keys.Text(key), out var entry)) return entry.Position;
        if (_source?.Locate(key) is not { } s) return null;
        if (_subset is null) return s;
        var at = Array.BinarySearch(_subset, s);
        return at >= 0 ? at : null;
    }

    private long DeletedAt(int position) => _deletedAtMs.TryGetValue(position, out var d) ? d : long.MaxValue;

    /// <summary>When TTL removes generated item <paramref name="position"/>, or null when TTL is off or does not apply.</summary>
    private long? TtlDeletionMs(int position)
    {
        if (_ttlSinceMs is not { } since || _ttlAttribute is null || _source is null) return null;
        var s = SourceOf(position);
        return _source.Seconds(s, _ttlAttribute) is { } seconds && seconds is >= 0 and <= 253402300799
            ? Math.Max(seconds * 1000, since) + Lag(s) : null;
    }

    private long? TtlDeletionMs(IReadOnlyDictionary<string, DynamoValue> item, int position)
    {
        if (_ttlSinceMs is not { } since || _ttlAttribute is null || item.GetValueOrDefault(_ttlAttribute)?.AsNumber is not { } seconds) return null;
        if (seconds is < 0 or > 253402300799) return null;
        return Math.Max((long)seconds * 1000, since) + Lag(position);
    }

    /// <summary>TTL deletes an expired item some time within the TTL delay, not at once.</summary>
    private long Lag(long n) => 1 + (long)(Deterministic.Unit(Deterministic.Key(_seed, _lagSeries, n)) * _ttlDelayMs);
}
