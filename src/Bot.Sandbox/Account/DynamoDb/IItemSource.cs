namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// The generated items a table starts with, computed from the seed rather than stored (<see cref="TableItems"/> keeps
/// only what was written or deleted through the API on top of them). Each item has a position: a non-negative number
/// below <see cref="TableItems.OverlayStart"/>, fixed for the item's life, ascending in scan order. An item exists from
/// <see cref="FromMs"/> until <see cref="UntilMs"/> (a moving window) unless deleted or expired by TTL. Implementations
/// are thread-safe and keep at most a bounded cache.
/// </summary>
internal interface IItemSource
{
    /// <summary>The positions of the items that can exist at <paramref name="ms"/> (alive or not yet), ascending.</summary>
    IEnumerable<int> Positions(long ms);

    /// <summary>Changes whenever <see cref="Positions"/> would give another set (index caches are rebuilt then).</summary>
    long Generation(long ms);

    /// <summary>When the item appears (its creation).</summary>
    long FromMs(int position);

    /// <summary>When the item leaves the source by itself (long.MaxValue: never).</summary>
    long UntilMs(int position);

    StoredItem Item(int position);

    /// <summary>One attribute of the item, without building the whole item where the source can.</summary>
    DynamoValue? Attribute(int position, string name);

    /// <summary>A numeric attribute as whole seconds (TTL reads it), or null.</summary>
    long? Seconds(int position, string name);

    /// <summary>The position of the item with this primary key (alive or not), or null when the source never has it.</summary>
    int? Locate(IReadOnlyDictionary<string, DynamoValue> key);
}

/// <summary>The generated sessions of a user-sessions table as an item source: all exist from their <c>created_at</c>.</summary>
internal sealed class SessionItems(SessionSeries series) : IItemSource
{
    public IEnumerable<int> Positions(long ms) => Enumerable.Range(0, series.Count);
    public long Generation(long ms) => 0;
    public long FromMs(int position) => series.CreatedAt(position) * 1000;
    public long UntilMs(int position) => long.MaxValue;
    public StoredItem Item(int position) => StoredItem.From(series[position]);

    public DynamoValue? Attribute(int position, string name) => name switch
    {
        TableKeys.SessionsHashKey => DynamoValue.OfString(SessionSeries.CustomerId(series.CustomerOf(position))),
        TableKeys.SessionsRangeKey => DynamoValue.OfString(series.SessionIdOf(position)),
        TableKeys.SessionsIndexKey => DynamoValue.OfString(series.UserId(series.UserOf(position))),
        "created_at" => DynamoValue.OfNumber(series.CreatedAt(position)),
        "expires_at" => DynamoValue.OfNumber(series.ExpiresAt(position)),
        _ => Item(position)[name],
    };

    public long? Seconds(int position, string name) => name switch
    {
        "expires_at" => series.ExpiresAt(position),
        "created_at" => series.CreatedAt(position),
        _ => null,
    };

    public int? Locate(IReadOnlyDictionary<string, DynamoValue> key)
    {
        if (key.GetValueOrDefault(TableKeys.SessionsRangeKey) is not { Type: "S", Text: { } sessionId }) return null;
        if (series.IndexOf(sessionId) is not { } i) return null;
        return SessionSeries.CustomerId(series.CustomerOf(i)) == key.GetValueOrDefault(TableKeys.SessionsHashKey)?.Text ? i : null;
    }
}
