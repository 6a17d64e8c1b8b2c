using System.Globalization;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>One generated login session.</summary>
internal readonly record struct GeneratedSession(
    string CustomerId,
    string SessionId,
    string UserId,
    long CreatedAt,
    long ExpiresAt,
    string Client,
    bool Mfa);

/// <summary>
/// The login sessions a <c>securebase-&lt;env&gt;-user-sessions</c> table holds when the account starts, generated
/// from the seed: as many as the table's ItemCount, created over the last 90 days (60 % in the last week, 32 % 7 to
/// 30 days ago, 8 % older than 30 days), living 12 hours (70 %), 7 days (25 %) or 90 days ("remember me", 5 %).
/// Session n is computed, not stored, apart from its two timestamps; its id encodes n so a key finds it again.
/// </summary>
internal sealed class SessionSeries
{
    private const uint Multiplier = 0x9E3779B1u;
    private static readonly uint Inverse = InverseOf(Multiplier);
    private static readonly string[] Clients = ["web", "web", "web", "ios", "android", "api"];

    private readonly int _seed;
    private readonly string _table;
    private readonly uint _mask;
    private readonly int _customers;
    private readonly int _users;
    private readonly long[] _created;
    private readonly long[] _expires;
    private readonly ulong _customerSeries, _userSeries, _clientSeries, _mfaSeries, _idSeries, _userIdSeries;

    public SessionSeries(int seed, string table, int count, DateTimeOffset now)
    {
        _seed = seed;
        _table = table;
        _mask = (uint)Deterministic.Mix(Deterministic.Key(seed, Deterministic.Hash(table + ":session-mask"), 0));
        Count = count;
        _customers = Math.Max(3, count / 800);
        _users = Math.Max(10, count / 7);
        (_customerSeries, _userSeries, _clientSeries, _mfaSeries, _idSeries, _userIdSeries) =
            (Series("session-customer"), Series("session-user"), Series("session-client"), Series("session-mfa"), Series("session-id"), Series("user"));
        _created = new long[count];
        _expires = new long[count];
        var end = now.ToUnixTimeSeconds();
        var (band, within, lifetime) = (Series("session-age-band"), Series("session-age"), Series("session-life"));
        for (var i = 0; i < count; i++)
        {
            var age = Age(Draw(band, i), Draw(within, i));
            _created[i] = end - 60 - (long)age;
            var life = Draw(lifetime, i) switch
            {
                < 0.70 => TimeSpan.FromHours(12),
                < 0.95 => TimeSpan.FromDays(7),
                _ => TimeSpan.FromDays(90),
            };
            _expires[i] = _created[i] + (long)life.TotalSeconds;
        }
    }

    public int Count { get; }

    public long CreatedAt(int i) => _created[i];
    public long ExpiresAt(int i) => _expires[i];

    /// <summary>Which customer (partition) session n belongs to: a few large customers, many small ones.</summary>
    public int CustomerOf(int i) => (int)(_customers * Math.Pow(Draw(_customerSeries, i), 2));

    /// <summary>Which user session n belongs to.</summary>
    public int UserOf(int i) => (int)(Draw(_userSeries, i) * _users);

    public GeneratedSession this[int i]
    {
        get
        {
            var customer = CustomerOf(i);
            var user = UserOf(i);
            var client = Clients[(int)(Draw(_clientSeries, i) * Clients.Length)];
            return new GeneratedSession(
                CustomerId(customer), SessionId(i), UserId(user), _created[i], _expires[i], client,
                Draw(_mfaSeries, i) < 0.8);
        }
    }

    /// <summary>The session's index from its id, or null when the id is not one of this series'.</summary>
    public int? IndexOf(string sessionId)
    {
        if (sessionId.Length != 32 || !uint.TryParse(sessionId.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var token))
            return null;
        var i = (long)((token ^ _mask) * Inverse);
        return i < Count && SessionId((int)i) == sessionId ? (int)i : null;
    }

    public string SessionIdOf(int i) => SessionId(i);

    private string SessionId(int i)
    {
        var token = ((uint)i * Multiplier) ^ _mask;
        var tail = Deterministic.Mix(Deterministic.Key(_seed, _idSeries, i));
        var tail2 = Deterministic.Mix(tail);
        return token.ToString("x8", CultureInfo.InvariantCulture) + tail.ToString("x16", CultureInfo.InvariantCulture) + tail2.ToString("x16", CultureInfo.InvariantCulture)[..8];
    }

    public static string CustomerId(int customer) => "cust-" + (customer + 1).ToString("D4", CultureInfo.InvariantCulture);

    public string UserId(int user) =>
        "u-" + Deterministic.Mix(Deterministic.Key(_seed, _userIdSeries, user)).ToString("x16", CultureInfo.InvariantCulture)[..12];

    /// <summary>The hash of one of this table's random series (hashed once, drawn from per session).</summary>
    private ulong Series(string purpose) => Deterministic.Hash(_table + ":" + purpose);

    private double Draw(ulong series, long i) => Deterministic.Unit(Deterministic.Key(_seed, series, i));

    /// <summary>Seconds before now a session was created: the week, the month, or up to 90 days.</summary>
    private static double Age(double band, double within)
    {
        const double Day = 86400;
        return band switch
        {
            < 0.60 => within * 7 * Day,
            < 0.92 => (7 + within * 23) * Day,
            _ => (30 + within * 60) * Day + 3600,
        };
    }

    /// <summary>The multiplicative inverse of an odd number modulo 2^32 (Newton's iteration).</summary>
    private static uint InverseOf(uint a)
    {
        var x = a;
        for (var i = 0; i < 5; i++) x *= 2 - a * x;
        return x;
    }
}
