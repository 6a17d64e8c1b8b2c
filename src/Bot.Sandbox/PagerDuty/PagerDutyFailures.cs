using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.PagerDuty;

/// <summary>How the simulated PagerDuty fails on purpose: its APIs answer 5xx, answer slowly, or rate-limit (429).</summary>
public enum PagerDutyFailureKind
{
    /// <summary>503 Service Unavailable (an outage).</summary>
    ServerError,
    /// <summary>The answer comes after <see cref="SandboxPagerDutyOptions.SlowDelay"/> (longer than the bot waits for one).</summary>
    Slow,
    /// <summary>429: the REST API with <c>ratelimit-reset</c>, the Events API without any wait (clients back off by themselves).</summary>
    RateLimited,
}

/// <summary>A failure in force: its kind and the share of requests it hits.</summary>
public sealed record PagerDutyFailure(PagerDutyFailureKind Kind, double Rate)
{
    /// <summary>The names <c>/sb sandbox pager fail</c> takes.</summary>
    public static readonly IReadOnlyList<string> Names = ["5xx", "slow", "429"];

    public static PagerDutyFailureKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "5xx" or "500" or "503" or "outage" => PagerDutyFailureKind.ServerError,
        "slow" => PagerDutyFailureKind.Slow,
        "429" or "rate-limit" or "throttle" => PagerDutyFailureKind.RateLimited,
        _ => throw new ArgumentException($"'{name}' is not a PagerDuty failure; use {string.Join(", ", Names)}.", nameof(name)),
    };

    public string Name => Kind switch { PagerDutyFailureKind.ServerError => "5xx", PagerDutyFailureKind.Slow => "slow", _ => "429" };
}

/// <summary>
/// The failure the simulated PagerDuty's REST and Events APIs are told to show (at most one at a time), hitting a share of
/// requests chosen by a seeded generator. Webhook deliveries are not affected: PagerDuty's side of them works.
/// </summary>
public sealed class PagerDutyFailures(SandboxPagerDutyOptions options, int seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private PagerDutyFailure? _current;

    public PagerDutyFailure? Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    public PagerDutyFailure Set(PagerDutyFailureKind kind, double rate)
    {
        if (double.IsNaN(rate) || rate <= 0 || rate > 1) throw new ArgumentException("The failure rate is a share above 0 and at most 1, e.g. 0.5.", nameof(rate));
        lock (_gate) return _current = new PagerDutyFailure(kind, rate);
    }

    /// <summary>Ends the failure; true when one was in force.</summary>
    public bool Clear()
    {
        lock (_gate)
        {
            var was = _current is not null;
            _current = null;
            return was;
        }
    }

    /// <summary>The failure this request meets, if any.</summary>
    private PagerDutyFailure? Hit()
    {
        lock (_gate) return _current is { } failure && _random.NextDouble() < failure.Rate ? failure : null;
    }

    /// <summary>
    /// Fails the request as told (true: the answer is written) or, for a slow failure, waits before it is served
    /// (false: serve it). <paramref name="events"/> is the Events API, whose error bodies and 429 differ from the REST API's.
    /// </summary>
    internal async Task<bool> MeetAsync(HttpContext context, bool events)
    {
        switch (Hit()?.Kind)
        {
            case PagerDutyFailureKind.ServerError:
                await PagerDutyHttp.WriteAsync(context, 503, events
                    ? new JsonObject { ["status"] = "error", ["message"] = "Service Unavailable (sandbox: /sb sandbox pager fail 5xx)" }
                    : new JsonObject { ["error"] = new JsonObject { ["message"] = "Service Unavailable (sandbox: /sb sandbox pager fail 5xx)", ["code"] = 2999 } });
                return true;
            case PagerDutyFailureKind.RateLimited:
                if (!events)
                {
                    context.Response.Headers["ratelimit-limit"] = "960";
                    context.Response.Headers["ratelimit-remaining"] = "0";
                    context.Response.Headers["ratelimit-reset"] = "30";
                }
                await PagerDutyHttp.WriteAsync(context, 429, events
                    ? new JsonObject { ["status"] = "throttle event", ["message"] = "Requests for this service are arriving too quickly. Please retry later." }
                    : new JsonObject { ["error"] = new JsonObject { ["message"] = "Rate Limit Exceeded", ["code"] = 2020 } });
                return true;
            case PagerDutyFailureKind.Slow:
                await Task.Delay(options.SlowDelay, context.RequestAborted);
                return false;
            default:
                return false;
        }
    }
}
