using Bot.Integrations.Http;
using Bot.Integrations.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;

namespace Bot.Integrations.Slack;

/// <summary>
/// The shared retry pipeline (<see cref="HttpRetryPipeline"/>), shaped for Slack: <see cref="SlackOptions.Retry"/> (10 s an
/// attempt, 60 s in all), and a 429 says how long to wait in <c>Retry-After</c>. Methods that are not idempotent
/// (<see cref="SlackWebApiClient.NotIdempotent"/>: a second <c>chat.postMessage</c> is a second message) are repeated here only
/// when Slack cannot have acted on the first attempt (a 429, or a connection that never opened); after a 5xx or a timeout the
/// post may have landed, and whether to post again is the outbox's decision (it keeps the delivery record), never this layer's.
/// </summary>
public static class SlackResilience
{
    /// <summary>Slack's retry rules.</summary>
    public static readonly HttpRetryRules Rules = new(
        request => request is null || !SlackWebApiClient.IsNotIdempotent(request.RequestUri),
        (headers, time) => SlackWebApiClient.RetryAfter(headers.RetryAfter, time));

    public static IHttpClientBuilder AddSlackResilience(this IHttpClientBuilder builder) =>
        builder.AddRetryPipeline("slack", sp => sp.GetRequiredService<IOptions<SlackOptions>>().Value.Retry, Rules);

    /// <summary>Whether Slack's <paramref name="outcome"/> of <paramref name="request"/> is worth another attempt.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, HttpRequestMessage? request = null) =>
        HttpRetryPipeline.ShouldRetry(outcome, request, Rules, maxRetryAfter, TimeProvider.System);
}
