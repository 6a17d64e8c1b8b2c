using Bot.Integrations.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// The shared retry pipeline (<see cref="HttpRetryPipeline"/>), shaped for PagerDuty: idempotent requests are GET, HEAD and
/// PUT (whose bodies here are absolute values), and every request of the Events API (its POSTs carry a dedup key); a 429 says
/// how long to wait in <c>Retry-After</c> or <c>ratelimit-reset</c>.
/// </summary>
public static class PagerDutyResilience
{
    /// <param name="retryPosts">True for the Events API, whose POSTs carry a dedup key and are safe to repeat.</param>
    public static IHttpClientBuilder AddPagerDutyResilience(this IHttpClientBuilder builder, string name, bool retryPosts) =>
        builder.AddRetryPipeline(name, sp => sp.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>().CurrentValue.Retry, Rules(retryPosts));

    /// <summary>PagerDuty's retry rules; <paramref name="retryPosts"/> as in <see cref="AddPagerDutyResilience"/>.</summary>
    public static HttpRetryRules Rules(bool retryPosts) => new(
        request => retryPosts || request?.Method == HttpMethod.Get || request?.Method == HttpMethod.Put || request?.Method == HttpMethod.Head,
        PagerDutyErrors.RetryAfter);
}
