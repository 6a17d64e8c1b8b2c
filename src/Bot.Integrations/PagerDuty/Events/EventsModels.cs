using System.Text.Json.Serialization;

namespace Bot.Integrations.PagerDuty.Events;

/// <summary>How bad an alert is, as the Events API v2 names it.</summary>
public enum AlertSeverity { Critical, Error, Warning, Info }

/// <summary>The three alert actions of the Events API v2.</summary>
public enum EventAction { Trigger, Acknowledge, Resolve }

/// <summary>The body of <c>POST /v2/enqueue</c>. <c>payload</c> is sent with triggers only.</summary>
public sealed record EnqueueRequest
{
    public required string RoutingKey { get; init; }
    public required string EventAction { get; init; }
    public string? DedupKey { get; init; }
    public AlertPayload? Payload { get; init; }
    public string? Client { get; init; }
    public string? ClientUrl { get; init; }
    public IReadOnlyList<AlertLink>? Links { get; init; }
}

public sealed record AlertPayload
{
    /// <summary>At most 1024 characters: becomes the alert's and the incident's title.</summary>
    public required string Summary { get; init; }
    /// <summary>The affected system, e.g. a function name.</summary>
    public required string Source { get; init; }
    /// <summary><c>critical</c>, <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public required string Severity { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? Component { get; init; }
    public string? Group { get; init; }
    public string? Class { get; init; }
    public IReadOnlyDictionary<string, string>? CustomDetails { get; init; }
}

public sealed record AlertLink(string Href, string? Text = null);

/// <summary>The answer to an accepted event: <c>{"status":"success","message":"Event processed","dedup_key":"…"}</c>.</summary>
public sealed record EnqueueResponse
{
    public string? Status { get; init; }
    public string? Message { get; init; }
    public string? DedupKey { get; init; }
    /// <summary>Present on error answers.</summary>
    public IReadOnlyList<string>? Errors { get; init; }
}

/// <summary>What the Events API accepted.</summary>
public sealed record EnqueueResult(string DedupKey, string? Message);

public static class EventsWire
{
    public static string ToWire(this AlertSeverity severity) => severity.ToString().ToLowerInvariant();
    public static string ToWire(this EventAction action) => action.ToString().ToLowerInvariant();
}
