using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Bench;

/// <summary>
/// Every AWS call the bot makes, timed by an outermost handler on each of its HTTP clients (the SigV4 typed clients and the
/// SDK's DynamoDB client alike), retries included.
/// </summary>
public sealed class AwsCallLog
{
    private ConcurrentQueue<AwsCall> _calls = new();

    public void Reset() => _calls = new ConcurrentQueue<AwsCall>();
    public IReadOnlyList<AwsCall> Calls => _calls.ToArray();
    public int Count => _calls.Count;
    public TimeSpan Slowest => _calls.Select(c => c.Duration).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>Times every HTTP client of <paramref name="services"/>; only AWS calls are kept (Slack and PagerDuty share these clients' defaults).</summary>
    public void AddTo(IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new TimingHandler(this)));

    private sealed class TimingHandler(AwsCallLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            var stopwatch = Stopwatch.StartNew();
            var response = await base.SendAsync(request, cancellationToken);
            // AWS calls carry X-Amz-Target (JSON protocols) or X-Amz-Date, or go to /20xx-xx-xx/ paths (Lambda's REST API).
            var target = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First() : null;
            var path = request.RequestUri?.AbsolutePath ?? "";
            if (target is not null || request.Headers.Contains("X-Amz-Date") || path.StartsWith("/20", StringComparison.Ordinal))
                log._calls.Enqueue(new AwsCall(target ?? $"{request.Method} {path}", started, stopwatch.Elapsed, (int)response.StatusCode));
            return response;
        }
    }
}

/// <summary>One AWS call: its operation (the <c>X-Amz-Target</c>, or the method and path of a REST call), when it started and how long it took.</summary>
public sealed record AwsCall(string Operation, DateTimeOffset Started, TimeSpan Duration, int Status);
