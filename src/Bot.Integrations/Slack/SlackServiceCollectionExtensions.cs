using System.Net;
using System.Net.Http.Headers;
using Bot.Integrations.Http;
using Bot.Integrations.Slack.BlockKit;
using Bot.Integrations.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Bot.Integrations.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// The Slack Web API client (Refit, bot token, <c>Slack:ApiBaseUrl</c>), the response_url client,
    /// the reply-channel factory and <see cref="SlackChat"/>. Does not validate the options: the
    /// server does that on start, the shell never needs them.
    /// </summary>
    public static IServiceCollection AddSlackWebApi(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        var settings = new RefitSettings(new SystemTextJsonContentSerializer(BlockKitJson.Options));
        services.AddRefitGeneratedClient<ISlackApi>(settings)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
                client.BaseAddress = ApiBaseAddress(options.ApiBaseUrl);
                if (!string.IsNullOrWhiteSpace(options.BotToken))
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
            })
            .AddSlackResilience()
            .LogCallsQuietly("Slack", showPath: true);
        // response_url and upload URLs are capabilities: their paths are never logged.
        services.AddHttpClient<SlackResponseUrlClient>().AddSlackResilience().LogCallsQuietly("Slack response_url", showPath: false);
        services.AddHttpClient(SlackWebApiClient.UploadClientName).AddSlackResilience().LogCallsQuietly("Slack upload", showPath: false);

        services.TryAddTransient<SlackWebApiClient>();
        services.TryAddTransient<SlackChat>();
        return services;
    }

    /// <summary><c>Slack:ApiBaseUrl</c> as a base address that keeps its path (<c>…/api/</c>).</summary>
    public static Uri ApiBaseAddress(string? configured)
    {
        var text = string.IsNullOrWhiteSpace(configured) ? SlackOptions.DefaultApiBaseUrl : configured.Trim();
        if (!text.EndsWith('/')) text += "/";
        return new Uri(text, UriKind.Absolute);
    }

    /// <summary>
    /// Retries 5xx, 408, timeouts and connection failures with exponential backoff, and 429s whose
    /// <c>Retry-After</c> is short enough to wait out (<see cref="SlackRetryOptions.MaxRetryAfter"/>);
    /// <see cref="SlackRetryOptions.AttemptTimeout"/> per attempt (10 s), 60 s in all. Methods that are not idempotent (<see cref="SlackWebApiClient.NotIdempotent"/>:
    /// a second <c>chat.postMessage</c> is a second message) are repeated here only when Slack cannot have acted on
    /// the first attempt (a 429, or a connection that never opened); after a 5xx or a timeout the post may have
    /// landed, and whether to post again is the outbox's decision (it keeps the delivery record), never this layer's.
    /// </summary>
    public static IHttpClientBuilder AddSlackResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("slack", (pipeline, context) =>
        {
            var retry = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value.Retry;
            pipeline.AddTimeout(TimeSpan.FromSeconds(60));
            if (retry.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retry.MaxRetries,
                    Delay = retry.BaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, retry.MaxRetryAfter, args.Context.GetRequestMessage())),
                });
            }
            pipeline.AddTimeout(retry.AttemptTimeout);
        });
        return builder;
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, HttpRequestMessage? request = null)
    {
        var idempotent = request is null || !SlackWebApiClient.IsNotIdempotent(request.RequestUri);
        if (outcome.Exception is not null)
        {
            return outcome.Exception switch
            {
                HttpRequestException e => idempotent || NeverSent(e),
                Polly.Timeout.TimeoutRejectedException => idempotent,
                _ => false,
            };
        }
        var response = outcome.Result;
        if (response is null) return false;
        var status = (int)response.StatusCode;
        // A 429 means Slack did not act on the request: safe to repeat whatever it was.
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return SlackWebApiClient.RetryAfter(response.Headers.RetryAfter, TimeProvider.System) <= maxRetryAfter;
        return idempotent && (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout);
    }

    /// <summary>The request never reached Slack: no connection, no name, no TLS session.</summary>
    private static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
}
