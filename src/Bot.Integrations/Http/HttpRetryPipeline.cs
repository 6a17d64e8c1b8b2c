using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Bot.Integrations.Http;

/// <summary>What an outside system's retries differ in.</summary>
/// <param name="IsIdempotent">
/// Whether a request may be repeated after it may have been applied (a 5xx, a timeout); null when the request is not known.
/// </param>
/// <param name="RateLimitWait">How long a 429 asks to wait (the system's header, or its default when the header is missing).</param>
public sealed record HttpRetryRules(Func<HttpRequestMessage?, bool> IsIdempotent, Func<HttpResponseHeaders, TimeProvider, TimeSpan> RateLimitWait);

/// <summary>
/// The one retry pipeline of the outside systems' HTTP clients: 60 s for a call in all and <see cref="HttpRetryOptions.AttemptTimeout"/>
/// per attempt; idempotent requests are retried on 5xx, 408, timeouts and network failures with exponential backoff; any
/// request, a post included, is retried after a 429 (the system did not act on it) whose wait is at most
/// <see cref="HttpRetryOptions.MaxRetryAfter"/>, and after a connection that never opened (nothing was sent). A 429's wait, and a
/// <c>Retry-After</c> on any other response, is honoured as the delay.
/// </summary>
public static class HttpRetryPipeline
{
    /// <summary>How long one call may take, its retries and their waits included.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(60);

    /// <param name="name">The resilience handler's name (one per client).</param>
    /// <param name="options">The retry settings, read when the pipeline is built.</param>
    /// <param name="rules">What this system's retries differ in.</param>
    public static IHttpClientBuilder AddRetryPipeline(this IHttpClientBuilder builder, string name, Func<IServiceProvider, HttpRetryOptions> options,
        HttpRetryRules rules)
    {
        builder.AddResilienceHandler(name, (pipeline, context) =>
        {
            var retry = options(context.ServiceProvider);
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.AddTimeout(TotalTimeout);
            if (retry.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retry.MaxRetries,
                    Delay = retry.BaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), rules, retry.MaxRetryAfter, time)),
                    DelayGenerator = args => ValueTask.FromResult(AskedWait(args.Outcome.Result, rules, time)),
                });
            }
            pipeline.AddTimeout(retry.AttemptTimeout);
        });
        return builder;
    }

    /// <summary>Whether <paramref name="outcome"/> of <paramref name="request"/> is worth another attempt.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, HttpRetryRules rules, TimeSpan maxRetryAfter, TimeProvider time)
    {
        var idempotent = rules.IsIdempotent(outcome.Result?.RequestMessage ?? request);
        if (outcome.Exception is not null)
        {
            return outcome.Exception switch
            {
                HttpRequestException e => idempotent || NeverSent(e),
                Polly.Timeout.TimeoutRejectedException => idempotent,
                _ => false,
            };
        }
        if (outcome.Result is not { } response) return false;
        // A 429 means the system did not act on the request: safe to repeat whatever it was.
        if (response.StatusCode == HttpStatusCode.TooManyRequests) return rules.RateLimitWait(response.Headers, time) <= maxRetryAfter;
        return idempotent && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout);
    }

    /// <summary>The wait a response asked for (a 429's, or any <c>Retry-After</c>); null for the exponential backoff.</summary>
    private static TimeSpan? AskedWait(HttpResponseMessage? response, HttpRetryRules rules, TimeProvider time) => response switch
    {
        { StatusCode: HttpStatusCode.TooManyRequests } => rules.RateLimitWait(response.Headers, time),
        { Headers.RetryAfter: { } header } => RetryAfterHeader.Wait(header, time, TimeSpan.Zero),
        _ => null,
    };

    /// <summary>The request never reached the system: no connection, no name, no TLS session.</summary>
    private static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
}
