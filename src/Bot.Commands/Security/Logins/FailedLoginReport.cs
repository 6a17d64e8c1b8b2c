using Bot.Commands.Redaction;
using Bot.Commands.Security.Feed;

namespace Bot.Commands.Security.Logins;

/// <summary>The procedures' security incident classification (Critical, High, Medium, Low).</summary>
public enum IncidentClass { Low, Medium, High, Critical }

/// <summary>Many failed logins from one address within an hour: who it tried and when.</summary>
public sealed record AddressBurst(string Address, int InOneHour, int Total, int Users, int Customers, DateTimeOffset From, DateTimeOffset To, string? OnlyCustomer)
{
    /// <summary>Credential stuffing (many users) or a brute force (one user), in words.</summary>
    public string Kind => Users > 1 ? $"credential stuffing across {Users} users" : "brute force against one user";
}

/// <summary>
/// Failed logins of a window against the same hours a week earlier: the count, the top users, networks (addresses masked to
/// their /24, as chat shows them) and customers,
/// the hourly series of both with spikes marked, the bursts from single addresses, and the class the procedures give it
/// (failed login attempts are Low; many from one address are suspicious activity, Medium).
/// </summary>
public sealed record FailedLoginReport(
    DateTimeOffset From,
    DateTimeOffset To,
    int Total,
    int PreviousWeekTotal,
    IReadOnlyList<(string Key, int Count)> TopUsers,
    IReadOnlyList<(string Key, int Count)> TopAddresses,
    IReadOnlyList<(string Key, int Count)> TopCustomers,
    IReadOnlyList<DateTimeOffset> Hours,
    IReadOnlyList<int> Hourly,
    IReadOnlyList<int> PreviousWeekHourly,
    IReadOnlyList<int> Spikes,
    IReadOnlyList<AddressBurst> Bursts,
    IncidentClass Class,
    int MostInAnHour)
{
    public const int Top = 5;
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>An hour is a spike when it has at least this many failed logins and three times the same hour a week earlier.</summary>
    public const int SpikeAtLeast = 10;

    /// <summary><i>Page</i> is offered when more failed logins than <see cref="FailedLoginOptions.PageAbove"/> came within one hour (any 60 minutes).</summary>
    public bool ShouldPage(FailedLoginOptions options) => MostInAnHour > options.PageAbove;

    public static FailedLoginReport Build(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<FeedRow> current, IReadOnlyList<FeedRow> previousWeek, FailedLoginOptions options)
    {
        var start = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero);
        var hours = new List<DateTimeOffset>();
        for (var h = start; h < to; h = h.AddHours(1)) hours.Add(h);
        var hourly = Buckets(current, start, hours.Count, TimeSpan.Zero);
        var previous = Buckets(previousWeek, start, hours.Count, Week);
        var spikes = Enumerable.Range(0, hours.Count).Where(i => hourly[i] >= SpikeAtLeast && hourly[i] >= 3 * previous[i]).ToList();
        var bursts = FindBursts(current, options.BurstPerAddress);
        return new FailedLoginReport(from, to, current.Count, previousWeek.Count,
            TopOf(current, r => r.UserId), TopOf(current, r => AddressMask.Ip(r.IpAddress)), TopOf(current, r => r.CustomerId),
            hours, hourly, previous, spikes, bursts,
            bursts.Count > 0 ? IncidentClass.Medium : IncidentClass.Low,
            MostWithinAnHour(current.Where(r => r.At is not null).Select(r => r.At!.Value).Order().ToList()).Count);
    }

    private static int[] Buckets(IEnumerable<FeedRow> rows, DateTimeOffset start, int count, TimeSpan shift)
    {
        var buckets = new int[count];
        foreach (var row in rows)
        {
            if (row.At is not { } at) continue;
            var i = (int)Math.Floor((at + shift - start).TotalHours);
            if (i >= 0 && i < count) buckets[i]++;
        }
        return buckets;
    }

    private static List<(string, int)> TopOf(IEnumerable<FeedRow> rows, Func<FeedRow, string> key) =>
        rows.GroupBy(r => key(r) is { Length: > 0 } k ? k : "(none)").Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).Take(Top).ToList();

    /// <summary>The most times within any 60 minutes (a sliding window over sorted times), and where that hour starts and ends.</summary>
    private static (int Count, DateTimeOffset From, DateTimeOffset To) MostWithinAnHour(IReadOnlyList<DateTimeOffset> times)
    {
        if (times.Count == 0) return (0, default, default);
        var best = (Count: 0, From: times[0], To: times[0]);
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] > TimeSpan.FromHours(1)) first++;
            if (last - first + 1 > best.Count) best = (last - first + 1, times[first], times[last]);
        }
        return best;
    }

    /// <summary>Addresses with at least <paramref name="threshold"/> failed logins within some hour (a sliding window), biggest first.</summary>
    private static List<AddressBurst> FindBursts(IEnumerable<FeedRow> rows, int threshold) =>
        rows.Where(r => r.At is not null && r.IpAddress.Length > 0).GroupBy(r => r.IpAddress).Select(g =>
        {
            var (best, bestFrom, bestTo) = MostWithinAnHour(g.Select(r => r.At!.Value).Order().ToList());
            var customers = g.Select(r => r.CustomerId).Distinct().ToList();
            return new AddressBurst(g.Key, best, g.Count(), g.Select(r => r.UserId).Distinct().Count(), customers.Count, bestFrom, bestTo,
                customers.Count == 1 ? customers[0] : null);
        })
        .Where(b => b.InOneHour >= threshold)
        .OrderByDescending(b => b.InOneHour).ThenBy(b => b.Address, StringComparer.Ordinal)
        .ToList();
}
