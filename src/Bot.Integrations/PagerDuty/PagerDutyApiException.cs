namespace Bot.Integrations.PagerDuty;

/// <summary>What kind of PagerDuty failure this is, so a workflow can decide what to do (e.g. an already resolved incident).</summary>
public enum PagerDutyErrorKind
{
    Other,
    NotConfigured,
    InvalidToken,
    AccessDenied,
    NotFound,
    AlreadyResolved,
    AlreadyAcknowledged,
    NotAcknowledged,
    CannotEscalate,
    RequesterNotFound,
    AssigneeNotFound,
    InvalidInput,
    RateLimited,
    ServerError,
    Unreachable,
    Timeout,
}

/// <summary>
/// A PagerDuty call failed. <see cref="Exception.Message"/> says it in words a person understands
/// ("PagerDuty refused to acknowledge incident Q1: the incident is already resolved"); <see cref="ErrorCode"/>
/// is PagerDuty's own code (<c>1001</c> …) when it sent one. It is plain text (whoever shows it escapes it).
/// Never carries the API token or a routing key.
/// </summary>
public class PagerDutyApiException(
    string operation, PagerDutyErrorKind kind, string message, int? httpStatus = null, int? errorCode = null,
    IReadOnlyList<string>? details = null, bool transient = false, Exception? inner = null)
    : IntegrationException(message, inner)
{
    /// <summary>What was being done, e.g. "acknowledge incident Q1".</summary>
    public string Operation { get; } = operation;
    public PagerDutyErrorKind Kind { get; } = kind;
    public int? HttpStatus { get; } = httpStatus;
    /// <summary>PagerDuty's error code (see its "Errors" page), e.g. 1001 Incident Already Resolved.</summary>
    public int? ErrorCode { get; } = errorCode;
    /// <summary>PagerDuty's human-readable details (<c>error.errors</c>), unescaped.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];
    /// <summary>Worth trying again later (5xx, timeouts, rate limits); permanent failures are not.</summary>
    public bool Transient { get; } = transient;
}

/// <summary>PagerDuty answered 429 and asked to wait longer than the client waits in process.</summary>
public sealed class PagerDutyRateLimitedException(string operation, TimeSpan retryAfter)
    : PagerDutyApiException(operation, PagerDutyErrorKind.RateLimited,
        $"PagerDuty is rate limiting the bot ({operation}); try again in {Math.Ceiling(retryAfter.TotalSeconds):0} s.", 429, 2020, transient: true)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
