namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// One table as DynamoDB's control plane sees it now: its definition (keys, billing, capacity), where it is in its
/// life (CREATING while a restore runs, UPDATING after a capacity change, DELETING, then gone), point-in-time
/// recovery, TTL, where it was restored from, and its items when the sandbox keeps them (the user-sessions tables,
/// the activity feeds and copies of them). Changed only under <see cref="DynamoDbTables"/>' lock.
/// </summary>
internal sealed class TableState
{
    /// <summary>DynamoDB refreshes ItemCount and TableSizeBytes about every six hours.</summary>
    public static readonly TimeSpan CountRefresh = TimeSpan.FromHours(6);

    private readonly Lazy<TableItems>? _items;
    private readonly bool _definitionCountsItems;

    /// <param name="items">Makes the table's items when first needed (null: the sandbox keeps none for it).</param>
    /// <param name="definitionCountsItems">Whether the definition's ItemCount is the items' count at <paramref name="countsFrom"/>
    /// (the user-sessions tables: generated to that count), so the items need not be made to report it.</param>
    public TableState(DynamoTable definition, bool generated, DateTimeOffset countsFrom, Func<TableItems>? items = null, bool definitionCountsItems = true)
    {
        Definition = definition;
        Generated = generated;
        CountsFrom = countsFrom;
        _items = items is null ? null : new Lazy<TableItems>(items);
        _definitionCountsItems = definitionCountsItems;
    }

    public DynamoTable Definition { get; set; }
    public string Name => Definition.Name;

    /// <summary>One of the account's SecureBase tables (with traffic and metrics), not a table made through the API.</summary>
    public bool Generated { get; }

    /// <summary>The items, for tables whose items the sandbox keeps; null for the others (Scan and Query refuse them).</summary>
    public TableItems? Items => _items?.Value;

    public bool HasItems => _items is not null;

    /// <summary>From when ItemCount is refreshed every six hours (the account's start, or when a copy became ACTIVE).</summary>
    public DateTimeOffset CountsFrom { get; set; }

    /// <summary>While a restore runs: when it completes. A failed restore ends with the table gone instead.</summary>
    public DateTimeOffset? ActiveAt { get; set; }
    public bool RestoreFails { get; set; }
    public DateTimeOffset? UpdatingUntil { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public DateTimeOffset? GoneAt { get; set; }

    public RestoreSource? Restore { get; set; }
    public PointInTimeRecovery Pitr { get; set; } = PointInTimeRecovery.Off;
    public TimeToLive Ttl { get; set; } = TimeToLive.Off;

    /// <summary>When the table switched from provisioned to on-demand (AWS limits how often in 24 hours).</summary>
    public List<DateTimeOffset> SwitchesToPayPerRequest { get; } = [];
    public DateTimeOffset? LastUpdateToPayPerRequest { get; set; }
    public DateTimeOffset? LastIncrease { get; set; }
    public DateTimeOffset? LastDecrease { get; private set; }

    /// <summary>The GSI's own provisioned throughput, when UpdateTable set one (else it has the table's).</summary>
    public (long Read, long Write)? IndexCapacity { get; set; }

    private readonly List<DateTimeOffset> _decreases = [];

    public void Decrease(DateTimeOffset now)
    {
        LastDecrease = now;
        _decreases.Add(now);
    }

    /// <summary>ProvisionedThroughput's NumberOfDecreasesToday (UTC day).</summary>
    public int DecreasesToday(DateTimeOffset now) => _decreases.Count(d => d.UtcDateTime.Date == now.UtcDateTime.Date);

    public bool IsGone(DateTimeOffset now) =>
        (GoneAt is { } gone && now >= gone) || (RestoreFails && ActiveAt is { } end && now >= end);

    public string Status(DateTimeOffset now)
    {
        if (DeletedAt is not null) return "DELETING";
        if (ActiveAt is { } active && now < active) return "CREATING";
        if (UpdatingUntil is { } until && now < until) return "UPDATING";
        return "ACTIVE";
    }

    public bool IsRestoring(DateTimeOffset now) => Restore is not null && ActiveAt is { } active && now < active;

    /// <summary>ItemCount as DescribeTable reports it: the count at the last six-hourly refresh (0 while CREATING).</summary>
    public long ItemCount(DateTimeOffset now)
    {
        if (Status(now) == "CREATING") return 0;
        if (_items is null) return Definition.ItemCount;
        var refreshed = LastRefresh(now);
        // Nothing can have changed before the account (or the copy) started: skip generating the items.
        return refreshed <= CountsFrom && Generated && _definitionCountsItems ? Definition.ItemCount : Items!.CountAt(refreshed);
    }

    /// <summary>TableSizeBytes at the last refresh: the item count times the table's average item size.</summary>
    public long SizeBytes(DateTimeOffset now)
    {
        var count = ItemCount(now);
        if (_items is null) return Status(now) == "CREATING" ? 0 : Definition.SizeBytes;
        return Definition.ItemCount == 0 ? count * 400 : (long)Math.Round(count * (double)Definition.SizeBytes / Definition.ItemCount);
    }

    private DateTimeOffset LastRefresh(DateTimeOffset now)
    {
        if (now <= CountsFrom) return CountsFrom;
        var periods = (long)((now - CountsFrom) / CountRefresh);
        return CountsFrom + periods * CountRefresh;
    }
}
