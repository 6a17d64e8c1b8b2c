using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// The standard resilience handler, shaped for PagerDuty: a total and a per-attempt timeout, and retries
/// that never repeat a request which might have been applied. Idempotent requests (GET, and PUT, whose
/// bodies here are absolute values) are retried on 5xx, 408, timeouts and network failures; any request,
/// POST included, is retried after a 429 (PagerDuty did not process it) when <c>Retry-After</c> or
/// <c>ratelimit-reset</c> is short enough, and after a failure to connect (nothing was sent).
/// </summary>
public static class PagerDutyResilience
{
    /// <param name="retryPosts">True for the Events API, whose POSTs carry a dedup key and are safe to repeat.</param>
    public static IHttpClientBuilder AddPagerDutyResilience(this IHttpClientBuilder builder, string name, bool retryPosts)
    {
        builder.AddResilienceHandler(name, (pipeline, context) =>
        {
            var retry = context.ServiceProvider.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>().CurrentValue.Retry;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.AddTimeout(TimeSpan.FromSeconds(60));
            if (retry.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retry.MaxRetries,
                    Delay = retry.BaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), retryPosts, retry.MaxRetryAfter, time)),
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited
                        ? PagerDutyErrors.RetryAfter(limited.Headers, time)
                        : (TimeSpan?)null),
                });
            }
            pipeline.AddTimeout(retry.AttemptTimeout);
        });
        return builder;
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, bool retryPosts, TimeSpan maxRetryAfter, TimeProvider time)
    {
        var method = outcome.Result?.RequestMessage?.Method ?? request?.Method;
        var repeatable = retryPosts || method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Head;
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            return true;
        if (outcome.Exception is not null)
            return repeatable && outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
        if (outcome.Result is not { } response) return false;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return PagerDutyErrors.RetryAfter(response.Headers, time) <= maxRetryAfter;
        return repeatable && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout);
    }
}
