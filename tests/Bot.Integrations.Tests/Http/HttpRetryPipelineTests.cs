using System.Net;
using Bot.Integrations.Http;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.Slack;
using Polly;

namespace Bot.Integrations.Tests.Http;

/// <summary>The one retry decision both outside systems share, with what each supplies: which requests are idempotent, how a 429 says how long to wait.</summary>
public class HttpRetryPipelineTests
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private static bool ShouldRetry(HttpRetryRules rules, HttpRequestMessage request, Outcome<HttpResponseMessage> outcome) =>
        HttpRetryPipeline.ShouldRetry(outcome, request, rules, MaxRetryAfter, TimeProvider.System);

    private static Outcome<HttpResponseMessage> Answer(HttpStatusCode status, string? header = null, string? value = null)
    {
        var response = new HttpResponseMessage(status);
        if (header is not null) response.Headers.TryAddWithoutValidation(header, value);
        return Outcome.FromResult(response);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("POST", false)]
    public void A_pagerduty_rest_call_that_timed_out_is_repeated_only_when_it_is_idempotent(string method, bool repeated)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.pagerduty.com/incidents");

        Assert.Equal(repeated, ShouldRetry(PagerDutyResilience.Rules(retryPosts: false), request, Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException())));
    }

    [Fact]
    public void An_events_api_post_that_failed_with_a_server_error_is_repeated_for_it_carries_a_dedup_key()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://events.pagerduty.com/v2/enqueue");

        Assert.True(ShouldRetry(PagerDutyResilience.Rules(retryPosts: true), request, Answer(HttpStatusCode.BadGateway)));
    }

    [Theory]
    [InlineData("ratelimit-reset", "12", true)]
    [InlineData("ratelimit-reset", "45", false)]
    [InlineData("Retry-After", "3", true)]
    public void A_rate_limited_pagerduty_post_is_repeated_when_the_wait_it_asks_is_short_enough(string header, string value, bool repeated)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.pagerduty.com/incidents");

        Assert.Equal(repeated, ShouldRetry(PagerDutyResilience.Rules(retryPosts: false), request, Answer(HttpStatusCode.TooManyRequests, header, value)));
    }

    [Fact]
    public void A_slack_post_is_not_repeated_after_a_server_error_for_it_may_have_landed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://slack.com/api/chat.postMessage");

        Assert.False(ShouldRetry(SlackResilience.Rules, request, Answer(HttpStatusCode.InternalServerError)));
        Assert.True(ShouldRetry(SlackResilience.Rules, request, Answer(HttpStatusCode.TooManyRequests, "Retry-After", "1")));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.NameResolutionError)]
    [InlineData(HttpRequestError.SecureConnectionError)]
    public void A_post_whose_connection_never_opened_is_repeated_on_either_system(HttpRequestError error)
    {
        using var slack = new HttpRequestMessage(HttpMethod.Post, "https://slack.com/api/chat.postMessage");
        using var pagerDuty = new HttpRequestMessage(HttpMethod.Post, "https://api.pagerduty.com/incidents");
        var neverSent = Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error, "no connection"));

        Assert.True(ShouldRetry(SlackResilience.Rules, slack, neverSent));
        Assert.True(ShouldRetry(PagerDutyResilience.Rules(retryPosts: false), pagerDuty, neverSent));
    }
}
