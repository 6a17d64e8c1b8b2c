using System.Net;
using Bot.Integrations.PagerDuty;
using Bot.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Integrations.Tests.PagerDuty;

/// <summary>One budget of PagerDuty requests for every caller of an instance: a storm's escalations take turns, and one 429 holds them all.</summary>
public sealed class PagerDutyRateBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    private PagerDutyRateBudget Budget(int perMinute, int burst) =>
        new(new FixedOptions<PagerDutyOptions>(new PagerDutyOptions { RateLimit = { PerMinute = perMinute, Burst = burst } }), _time);

    [Fact]
    public void Requests_past_the_burst_take_turns_at_the_instances_pace()
    {
        var budget = Budget(perMinute: 60, burst: 2);

        var waits = Enumerable.Range(0, 5).Select(_ => budget.TakeTurn()).ToList();

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], waits);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, budget.TakeTurn());
    }

    [Fact]
    public void A_429_holds_every_caller_until_its_retry_after_is_over()
    {
        var budget = Budget(perMinute: 600, burst: 10);
        budget.Hold(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), budget.TakeTurn());
        Assert.Equal(TimeSpan.FromSeconds(30), budget.TakeTurn());
        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(TimeSpan.Zero, budget.TakeTurn());
    }

    [Fact]
    public async Task After_one_call_is_answered_429_the_next_one_waits_for_its_retry_after_instead_of_calling()
    {
        var budget = Budget(perMinute: 600, burst: 10);
        var sent = new List<DateTimeOffset>();
        var answers = new Queue<HttpResponseMessage>([RateLimited(TimeSpan.FromSeconds(20)), new HttpResponseMessage(HttpStatusCode.OK)]);
        using var client = new HttpMessageInvoker(new PagerDutyRateBudgetHandler(budget, _time)
        {
            InnerHandler = new Answering(request =>
            {
                lock (sent) sent.Add(_time.GetUtcNow());
                return answers.Dequeue();
            }),
        });

        using var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "https://api.pagerduty.test/incidents/P1"), CancellationToken.None);
        var second = client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "https://api.pagerduty.test/incidents/P2"), CancellationToken.None);
        await Task.Delay(50);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.False(second.IsCompleted);
        Assert.Single(sent);
        _time.Advance(TimeSpan.FromSeconds(20));
        using var answered = await second;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(20), sent[1] - sent[0]);
    }

    private static HttpResponseMessage RateLimited(TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
        return response;
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer(request));
    }
}
