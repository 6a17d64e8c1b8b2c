using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bot.Workflows.Changes;
using Bot.Workflows.Idempotency;

namespace Bot.Commands.Incidents;

/// <summary>An earlier page of the same service and summary: its alert's dedup key, who paged and when.</summary>
public sealed record EarlierPage(string DedupKey, string PagedBy, DateTimeOffset At);

/// <summary>
/// Whether a <c>/sb page</c> repeats one made within <c>Incidents__PageDedupWindow</c>: the same service and summary (case
/// and spacing aside) then lands on the first one's alert — its dedup key — so PagerDuty opens no second incident. The
/// first page of a window is remembered in the idempotency store (several instances agree on it).
/// </summary>
public sealed class PageDedup(IIdempotencyStore keys, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How long to wait for a page of the same summary that another request is sending this very moment.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The dedup key this page is sent with, and the earlier page it repeats (null: it is the first of its window, and is
    /// remembered as such once <see cref="RememberAsync"/> is called). A key of its own names who asked
    /// (<see cref="SecureBaseIncidents.PageKey"/>: PagerDuty keeps it on the incident, so a break-glass change tells its
    /// requester's own pages); a repeat lands on the first page's key, which names the person who paged first.
    /// </summary>
    public async Task<(string DedupKey, EarlierPage? Earlier)> DecideAsync(string userId, string service, string summary, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fingerprint = Fingerprint(service, summary);
        var fresh = SecureBaseIncidents.PageKey(userId, $"{fingerprint}/{now.UtcTicks}");
        if (window <= TimeSpan.Zero) return (fresh, null);
        for (var attempt = 0; ; attempt++)
        {
            var claim = await keys.ClaimAsync(Key(fingerprint), window, cancellationToken);
            if (claim.IsFirst) return (fresh, null);
            if (Read(claim.EarlierOutcome) is { } earlier) return earlier.At + window > now ? (earlier.DedupKey, earlier) : (fresh, null);
            // Claimed a moment ago and not yet sent (or its sender died): wait a little, then land on a key of its own.
            if (attempt >= 5) return (SecureBaseIncidents.PageKey(userId, fingerprint), null);
            await Task.Delay(InFlight, cancellationToken);
        }
    }

    /// <summary>Remembers the first page of a window (a repeat is told who paged it and when).</summary>
    public Task RememberAsync(string service, string summary, EarlierPage page, CancellationToken cancellationToken) =>
        keys.CompleteAsync(Key(Fingerprint(service, summary)), JsonSerializer.Serialize(page, Json), cancellationToken);

    private static string Key(string fingerprint) => "page:" + fingerprint;

    /// <summary>The service and the summary, lower case with runs of white space as one space, hashed.</summary>
    private static string Fingerprint(string service, string summary)
    {
        var text = service.Trim().ToLowerInvariant() + "\n" + string.Join(' ', summary.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    private static EarlierPage? Read(string? outcome)
    {
        if (string.IsNullOrEmpty(outcome)) return null;
        try
        {
            return JsonSerializer.Deserialize<EarlierPage>(outcome, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
