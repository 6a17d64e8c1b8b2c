using System.Globalization;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// The activity feed's rows (<see cref="ActivityFeedGenerator"/>) as an item source. A row exists from its
/// <c>timestamp</c> until its hour leaves the feed's <see cref="ActivityFeedGenerator.WindowDays"/>-day window, so the
/// table moves with the clock. Positions are the hour (counted from 2^16 hours before the account was made) times
/// <see cref="PerHour"/> plus the row's place in its hour: sparse, stable and in time order. Nothing is stored but a
/// bounded cache of generated hours (<see cref="CachedHours"/>, enough for the window plus point-in-time recovery's 35
/// days); an hour that fell out of it is generated again, the same.
/// </summary>
internal sealed class ActivityFeedItems : IItemSource
{
    public const int PerHour = 1024;
    public const int CachedHours = (ActivityFeedGenerator.WindowDays + PointInTimeRecovery.MaxDays + 2) * 24;
    private const long HourMs = 3_600_000;

    private readonly int _seed;
    private readonly string _environment;
    private readonly DateTimeOffset _created;
    private readonly long _baseHour;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, HourRows> _hours = [];
    private long _uses;

    private sealed class HourRows(StoredItem[] items, long[] ms)
    {
        public StoredItem[] Items { get; } = items;
        public long[] Ms { get; } = ms;
        public long LastUse { get; set; }
    }

    public ActivityFeedItems(int seed, string environment, DateTimeOffset created)
    {
        _seed = seed;
        _environment = environment;
        _created = created;
        _baseHour = created.ToUnixTimeSeconds() / 3600 - (1 << 16);
    }

    public IEnumerable<int> Positions(long ms)
    {
        var last = FloorDiv(ms, HourMs);
        for (var hour = Math.Max(_baseHour, last - ActivityFeedGenerator.WindowDays * 24); hour <= last; hour++)
        {
            var count = Rows(hour).Items.Length;
            for (var i = 0; i < count; i++) yield return Position(hour, i);
        }
    }

    public long Generation(long ms) => FloorDiv(ms, HourMs);

    public long FromMs(int position) => Rows(HourOf(position)).Ms[position % PerHour];

    public long UntilMs(int position) => (HourOf(position) + ActivityFeedGenerator.WindowDays * 24 + 1) * HourMs;

    public StoredItem Item(int position) => Rows(HourOf(position)).Items[position % PerHour];

    public DynamoValue? Attribute(int position, string name) => Item(position)[name];

    public long? Seconds(int position, string name) => Item(position)[name]?.AsNumber is { } n ? (long)n : null;

    public int? Locate(IReadOnlyDictionary<string, DynamoValue> key)
    {
        if (key.GetValueOrDefault("customer_id") is not { Type: "S" } customer || key.GetValueOrDefault("timestamp") is not { Type: "S", Text: { } timestamp }) return null;
        if (ActivityFeedGenerator.HourOf(timestamp) is not { } hour) return null;
        // A row keeps its hour even when a clash with another row's timestamp nudged it a millisecond into the next.
        for (var h = hour; h >= hour - 1 && h >= _baseHour; h--)
        {
            var rows = Rows(h).Items;
            for (var i = 0; i < rows.Length; i++)
                if (rows[i]["timestamp"]!.Text == timestamp && customer.Equals(rows[i]["customer_id"])) return Position(h, i);
        }
        return null;
    }

    private int Position(long hour, int i) => checked((int)((hour - _baseHour) * PerHour + i));

    private long HourOf(int position) => _baseHour + position / PerHour;

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private HourRows Rows(long hour)
    {
        lock (_gate)
        {
            if (!_hours.TryGetValue(hour, out var rows))
            {
                var generated = ActivityFeedGenerator.Hour(_seed, _environment, _created, hour).ToList();
                if (generated.Count > PerHour) throw new InvalidOperationException($"Hour {hour} of the activity feed has {generated.Count} rows, more than {PerHour}.");
                rows = new HourRows(
                    [.. generated.Select(r => new StoredItem(r))],
                    [.. generated.Select(r => DateTimeOffset.ParseExact(r["timestamp"].Text!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds())]);
                if (_hours.Count >= CachedHours)
                    foreach (var old in _hours.OrderBy(h => h.Value.LastUse).Take(CachedHours / 4).Select(h => h.Key).ToList())
                        _hours.Remove(old);
                _hours[hour] = rows;
            }
            rows.LastUse = ++_uses;
            return rows;
        }
    }
}
