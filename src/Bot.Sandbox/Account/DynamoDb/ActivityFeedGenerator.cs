using System.Globalization;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>A burst of failed logins from one address: when (hours before the account was made), how long, how many.</summary>
/// <param name="SingleUser">A brute force on one user rather than credential stuffing across a customer's users.</param>
public sealed record FailedLoginBurst(string Environment, double HoursAgo, int Minutes, string IpAddress, int Count, int Customer, bool SingleUser);

/// <summary>
/// The activity feed's rows (<c>securebase-&lt;env&gt;-activity-feed</c>): what SecureBase's users did, hour by hour, over the
/// last <see cref="WindowDays"/> days. Attributes: <c>customer_id</c> (<c>cust-1001</c>…), <c>user_id</c> (<c>u-12345</c>),
/// <c>action</c>, <c>resource_type</c>, <c>resource_id</c>, <c>ip_address</c> (documentation ranges only),
/// <c>timestamp</c> (ISO 8601 UTC with milliseconds, <c>2026-03-10T14:07:30.123Z</c>: it sorts as text), <c>activity_id</c>,
/// and on sessions a <c>user_agent</c>; failed logins carry the <c>email</c> that was tried. Quieter at night and at
/// weekends, growing slowly, with the planted <see cref="Bursts"/> of failed logins. Deterministic from the seed and the
/// hour; only the hours up to now exist. <see cref="ActivityFeedItems"/> serves them as the table's items.
/// </summary>
public static class ActivityFeedGenerator
{
    /// <summary>How many days of activity the table holds.</summary>
    public const int WindowDays = 45;

    /// <summary>The planted bursts: five in prod (two in the last day), one in staging, none in dev.</summary>
    public static readonly IReadOnlyList<FailedLoginBurst> Bursts =
    [
        new("prod", 6.5, 25, "203.0.113.57", 140, 7, false),
        new("prod", 14, 40, "198.51.100.23", 60, 3, true),
        new("prod", 5 * 24 + 3, 30, "203.0.113.201", 90, 12, false),
        new("prod", 9 * 24 + 11, 20, "192.0.2.146", 45, 1, true),
        new("prod", 20 * 24 + 5, 35, "198.51.100.77", 120, 21, false),
        new("staging", 2 * 24 + 4, 15, "203.0.113.9", 25, 2, false),
    ];

    private static readonly (string Action, string Resource, double Share)[] Actions =
    [
        ("login", "session", 0.34), ("logout", "session", 0.22), ("report_generated", "report", 0.12), ("report_downloaded", "report", 0.10),
        ("settings_changed", "settings", 0.06), ("failed_login", "session", 0.045), ("user_invited", "invite", 0.04), ("export_requested", "export", 0.025),
        ("role_changed", "role", 0.02), ("password_reset", "user", 0.02), ("api_key_created", "api_key", 0.01),
    ];

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    ];

    private static readonly string[] Domains = ["northwind-health.com", "contoso-clinic.net", "fabrikam-care.org", "example.org"];
    private static readonly string[] People = ["dana.kim", "m.okafor", "j.alvarez", "priya.natarajan", "t.nguyen", "s.becker", "l.moreau", "a.haddad", "k.ito", "r.silva"];

    /// <summary>Customers per environment.</summary>
    public static int Customers(string environment) => environment switch { "prod" => 40, "staging" => 8, _ => 4 };

    /// <summary>Average rows per hour in the environment (before the daily and weekly shape).</summary>
    private static double Rate(string environment) => environment switch { "prod" => 6.0, "staging" => 1.5, _ => 0.7 };

    /// <summary>The hour (since the Unix epoch) an ISO timestamp of the feed falls in, or null when it is not one.</summary>
    public static long? HourOf(string timestamp) =>
        DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeSeconds() / 3600 : null;

    /// <summary>
    /// The rows written in one hour (since the Unix epoch), in the order they are generated: the everyday ones, then the
    /// hour's share of the planted bursts. Deterministic from the seed, the environment and the hour.
    /// </summary>
    public static IEnumerable<Dictionary<string, DynamoValue>> Hour(int seed, string env, DateTimeOffset created, long hour)
    {
        var key = $"activity:{env}";
        var start = DateTimeOffset.FromUnixTimeSeconds(hour * 3600);
        var daysAgo = (created - start).TotalDays;
        var weekly = start.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.35 : 1.0;
        var daily = 1 + 0.8 * Math.Sin(2 * Math.PI * (start.Hour - 9) / 24);
        var expected = Rate(env) * weekly * Math.Max(0.1, daily) * Math.Pow(1.004, -daysAgo);
        var count = Deterministic.StochasticRound(expected * (0.7 + 0.6 * Deterministic.Unit(seed, key + ":n", hour)), Deterministic.Unit(seed, key + ":r", hour));
        var used = new HashSet<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            double U(int salt) => Deterministic.Unit(seed, key, hour * 1000 + i, salt);
            var pick = U(1);
            var (action, resource, _) = Actions[^1];
            foreach (var a in Actions)
            {
                if (pick < a.Share) { (action, resource, _) = a; break; }
                pick -= a.Share;
            }
            var customer = CustomerOf(env, U(2));
            var user = UserOf(seed, env, customer, U(3));
            var at = start.AddMilliseconds((long)(U(4) * 3_600_000));
            yield return Row(seed, env, customer, user, action, resource, HomeIp(seed, env, user), at, Agents[(int)(U(5) * Agents.Length)], used,
                action == "failed_login" ? Email(seed, user, customer) : null, hour * 1000 + i);
        }
        foreach (var burst in Bursts.Where(b => b.Environment == env))
        {
            var burstStart = created.AddHours(-burst.HoursAgo);
            for (var i = 0; i < burst.Count; i++)
            {
                var at = burstStart.AddSeconds(burst.Minutes * 60.0 * i / burst.Count + Deterministic.Unit(seed, "burst:" + burst.IpAddress, i) * 5);
                if (at.ToUnixTimeSeconds() / 3600 != hour) continue;
                var customer = $"cust-{1000 + burst.Customer}";
                var user = burst.SingleUser ? UserOf(seed, env, customer, 0.5) : UserOf(seed, env, customer, Deterministic.Unit(seed, "burst-user:" + burst.IpAddress, i));
                yield return Row(seed, env, customer, user, "failed_login", "session", burst.IpAddress, at, "python-requests/2.31.0", used,
                    Email(seed, user, customer), -(hour * 1000 + i));
            }
        }
    }

    private static Dictionary<string, DynamoValue> Row(int seed, string env, string customer, string user, string action, string resource, string ip,
        DateTimeOffset at, string agent, HashSet<(string, string)> used, string? email, long n)
    {
        var timestamp = Iso(at);
        while (!used.Add((customer, timestamp))) timestamp = Iso(at = at.AddMilliseconds(1));
        var row = new Dictionary<string, DynamoValue>(StringComparer.Ordinal)
        {
            ["customer_id"] = DynamoValue.OfString(customer),
            ["timestamp"] = DynamoValue.OfString(timestamp),
            ["activity_id"] = DynamoValue.OfString(Deterministic.Guid(seed, $"activity-id:{env}", n).ToString()),
            ["user_id"] = DynamoValue.OfString(user),
            ["action"] = DynamoValue.OfString(action),
            ["resource_type"] = DynamoValue.OfString(resource),
            ["resource_id"] = DynamoValue.OfString($"{resource[..Math.Min(3, resource.Length)]}-{Deterministic.Guid(seed, "activity-resource:" + env, n):N}"[..16]),
            ["ip_address"] = DynamoValue.OfString(ip),
        };
        if (resource == "session") row["user_agent"] = DynamoValue.OfString(agent);
        if (email is not null) row["email"] = DynamoValue.OfString(email);
        return row;
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Busy customers come up more often (a skewed draw).</summary>
    private static string CustomerOf(string env, double u) => $"cust-{1001 + (int)(Math.Pow(u, 1.8) * Customers(env))}";

    private static string UserOf(int seed, string env, string customer, double u)
    {
        var users = 3 + (int)(Deterministic.Unit(seed, "activity-users:" + env, (long)(Deterministic.Hash(customer) % 100_000)) * 57);
        return $"u-{10_000 + (int)(Deterministic.Hash(customer + env) % 800) * 100 + (int)(u * users)}";
    }

    /// <summary>A user's usual address, in the documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24, never a burst's.</summary>
    private static string HomeIp(int seed, string env, string user)
    {
        string[] prefixes = ["192.0.2.", "198.51.100.", "203.0.113."];
        for (var salt = 0; ; salt++)
        {
            var u = Deterministic.Unit(seed, "activity-ip:" + env + user, salt);
            var ip = prefixes[(int)(u * 3)] + (1 + (int)(Deterministic.Unit(seed, "activity-ip-host:" + env + user, salt) * 254));
            if (Bursts.All(b => b.IpAddress != ip)) return ip;
        }
    }

    private static string Email(int seed, string user, string customer) =>
        $"{People[(int)(Deterministic.Hash(user) % (ulong)People.Length)]}@{Domains[(int)(Deterministic.Hash(customer) % (ulong)Domains.Length)]}";
}
