using System.Net;
using Microsoft.Extensions.Options;

namespace Bot.Integrations.PagerDuty;

/// <summary>How many REST requests a minute this instance allows itself (section <c>PagerDuty:RateLimit</c>).</summary>
public sealed class PagerDutyRateLimitOptions
{
    /// <summary>
    /// Requests a minute, for every caller of this instance together. PagerDuty allows 960 a minute for one API token; the default
    /// is half of that, so the two instances of the documented deployment stay under it together.
    /// </summary>
    public int PerMinute { get; set; } = 480;

    /// <summary>How many requests may go at once before the pace applies (a few calls of one escalation are not spread out).</summary>
    public int Burst { get; set; } = 10;
}

/// <summary>
/// The instance's one budget of PagerDuty REST requests, shared by every caller (a storm's escalations, acknowledgements from the
/// card, reads): each request takes its turn at <see cref="PagerDutyRateLimitOptions.PerMinute"/> (after a burst), and a 429 holds
/// every caller until its <c>Retry-After</c> is over, instead of each finding out with a 429 of its own.
/// </summary>
public sealed class PagerDutyRateBudget(IOptionsMonitor<PagerDutyOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    /// <summary>When the next request would go if the budget were spent evenly (GCRA's theoretical arrival time).</summary>
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;

    /// <summary>How long the caller waits for its turn (zero when it may go now); the turn is taken.</summary>
    public TimeSpan TakeTurn()
    {
        var limit = options.CurrentValue.RateLimit;
        var spacing = TimeSpan.FromMinutes(1) / Math.Max(1, limit.PerMinute);
        var burst = spacing * Math.Max(0, limit.Burst - 1);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var next = _next > now ? _next : now;
            var at = next - burst > now ? next - burst : now;
            if (_heldUntil > at) at = _heldUntil;
            _next = (at > next ? at : next) + spacing;
            return at - now;
        }
    }

    /// <summary>PagerDuty answered 429: nobody on this instance calls again before <paramref name="retryAfter"/> is over.</summary>
    public void Hold(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (until > _heldUntil) _heldUntil = until;
        }
    }

    /// <summary>Waits for the caller's turn.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        var wait = TakeTurn();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
    }
}

/// <summary>Puts every attempt of a REST request through the <see cref="PagerDutyRateBudget"/>, and tells it of each 429.</summary>
public sealed class PagerDutyRateBudgetHandler(PagerDutyRateBudget budget, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.WaitTurnAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests) budget.Hold(PagerDutyErrors.RetryAfter(response.Headers, time));
        return response;
    }
}
