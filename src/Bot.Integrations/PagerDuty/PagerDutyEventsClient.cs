using System.Net;
using Bot.Integrations.PagerDuty.Events;
using Bot.Integrations.Slack;
using Microsoft.Extensions.Options;

using Bot.Workflows.Messages;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// PagerDuty's Events API v2 (<c>POST /v2/enqueue</c>): trigger, acknowledge and resolve alerts on a
/// service by its integration (routing) key. Every event carries a <c>dedup_key</c>, so sending one twice
/// lands on the same alert; that is why, unlike the REST API's POSTs, these are retried on 5xx and timeouts.
/// </summary>
public sealed class PagerDutyEventsClient(IPagerDutyEventsApi api, IOptionsMonitor<PagerDutyOptions> options, TimeProvider time)
{
    /// <summary>The longest summary PagerDuty accepts.</summary>
    public const int MaxSummaryLength = 1024;

    /// <summary>The longest dedup key PagerDuty accepts.</summary>
    public const int MaxDedupKeyLength = 255;

    /// <summary>The services with a routing key (<c>PagerDuty__RoutingKeys__&lt;service&gt;</c>), by name.</summary>
    public IReadOnlyList<string> Services => options.CurrentValue.RoutingKeys.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The routing key of <paramref name="service"/>; a person-readable refusal naming the known services otherwise.</summary>
    public string RoutingKeyFor(string service)
    {
        var keys = options.CurrentValue.RoutingKeys;
        if (keys.TryGetValue(service, out var key) && !string.IsNullOrWhiteSpace(key)) return key;
        if (keys.Count == 0)
            throw new IntegrationException(Line.Of(Spans.AsWritten("PagerDuty's Events API is not configured: set PagerDuty__RoutingKeys__<service> to a service's integration key.")));
        throw new IntegrationException(Line.Of("There is no PagerDuty service called ", Spans.Value(service), ". Known services: ",
            Line.Join(", ", Services.Select(s => Line.Of(Spans.Value(s)))), "."));
    }

    /// <summary>Opens an alert (or adds to the open one with this <paramref name="dedupKey"/>).</summary>
    public Task<EnqueueResult> TriggerAsync(string routingKey, string dedupKey, AlertPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (string.IsNullOrWhiteSpace(payload.Summary)) throw new ArgumentException("An alert needs a summary.", nameof(payload));
        var trimmed = payload.Summary.Length > MaxSummaryLength ? payload with { Summary = payload.Summary[..MaxSummaryLength] } : payload;
        return Enqueue(EventAction.Trigger, routingKey, dedupKey, trimmed, cancellationToken);
    }

    public Task<EnqueueResult> AcknowledgeAsync(string routingKey, string dedupKey, CancellationToken cancellationToken) =>
        Enqueue(EventAction.Acknowledge, routingKey, dedupKey, null, cancellationToken);

    public Task<EnqueueResult> ResolveAsync(string routingKey, string dedupKey, CancellationToken cancellationToken) =>
        Enqueue(EventAction.Resolve, routingKey, dedupKey, null, cancellationToken);

    private async Task<EnqueueResult> Enqueue(EventAction action, string routingKey, string dedupKey, AlertPayload? payload, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(routingKey)) throw new ArgumentException("A routing key is required.", nameof(routingKey));
        if (string.IsNullOrWhiteSpace(dedupKey) || dedupKey.Length > MaxDedupKeyLength)
            throw new ArgumentException($"A dedup key of 1 to {MaxDedupKeyLength} characters is required.", nameof(dedupKey));
        var operation = $"{action.ToWire()} alert {dedupKey}";
        var request = new EnqueueRequest
        {
            RoutingKey = routingKey,
            EventAction = action.ToWire(),
            DedupKey = dedupKey,
            Payload = payload,
            Client = action == EventAction.Trigger ? "SecureBase ops bot" : null,
        };
        using var response = await PagerDutyTransport.Send(operation, () => api.EnqueueAsync(request, cancellationToken), cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new PagerDutyRateLimitedException(operation, PagerDutyErrors.RetryAfter(response.Headers, time));
        if (!response.IsSuccessStatusCode) throw EventsError(operation, response.StatusCode ?? 0, PagerDutyTransport.ErrorContent(response));
        var body = response.Content;
        return new EnqueueResult(body?.DedupKey ?? dedupKey, body?.Message);
    }

    /// <summary>The Events API's errors are <c>{"status","message","errors":[…]}</c>, not the REST API's envelope.</summary>
    private static PagerDutyApiException EventsError(string operation, HttpStatusCode status, string? content)
    {
        EnqueueResponse? body = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(content)) body = System.Text.Json.JsonSerializer.Deserialize<EnqueueResponse>(content, PagerDutyJson.Options);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        var details = body?.Errors ?? [];
        var code = (int)status;
        if (code >= 500)
            return new PagerDutyApiException(operation, PagerDutyErrorKind.ServerError, $"PagerDuty's Events API failed to {operation}; try again shortly.", code, details: details, transient: true);
        var why = string.Join("; ", new[] { body?.Message }.Concat(details).Where(t => !string.IsNullOrWhiteSpace(t)));
        return new PagerDutyApiException(operation, code == 400 ? PagerDutyErrorKind.InvalidInput : PagerDutyErrorKind.Other,
            $"PagerDuty's Events API refused to {operation}{(why.Length > 0 ? ": " + PagerDutyErrors.Shown(why) : "")}.", code, details: details);
    }
}
