using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Integrations.Http;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Workflows.Messages;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Turns PagerDuty's error answers (HTTP status plus <c>{"error":{"code","message","errors"}}</c>) into
/// <see cref="PagerDutyApiException"/>s with a sentence a person understands. Codes from PagerDuty's
/// REST API "Errors" page.
/// </summary>
public static class PagerDutyErrors
{
    public const string NotConfiguredText =
        "PagerDuty is not configured: set PagerDuty__ApiToken, PagerDuty__WebhookSecret and PagerDuty__FromEmail to use it.";

    public static PagerDutyApiException NotConfigured(string operation) =>
        new(operation, PagerDutyErrorKind.NotConfigured, NotConfiguredText);

    /// <summary>The exception for an error answer of the REST API.</summary>
    public static PagerDutyApiException FromResponse(string operation, HttpStatusCode status, string? body)
    {
        var error = ParseError(body);
        var code = error?.Code;
        var kind = Classify((int)status, code);
        var reason = Reason(kind, code, error?.Message);
        var details = error?.Errors ?? [];
        var detailText = details.Count > 0 && kind is PagerDutyErrorKind.InvalidInput or PagerDutyErrorKind.Other
            ? $" ({Shown(string.Join("; ", details.Take(3)))})"
            : "";
        var transient = kind is PagerDutyErrorKind.ServerError or PagerDutyErrorKind.RateLimited or PagerDutyErrorKind.Timeout;
        return new PagerDutyApiException(operation, kind, $"PagerDuty refused to {operation}: {reason}{detailText}.", (int)status, code, details, transient);
    }

    public static PagerDutyErrorKind Classify(int status, int? code) => code switch
    {
        1001 => PagerDutyErrorKind.AlreadyResolved,
        1002 => PagerDutyErrorKind.AlreadyAcknowledged,
        1006 => PagerDutyErrorKind.CannotEscalate,
        1007 => PagerDutyErrorKind.AssigneeNotFound,
        1008 or 2011 or 2013 => PagerDutyErrorKind.RequesterNotFound,
        1012 => PagerDutyErrorKind.NotAcknowledged,
        1018 or 2010 or 2018 => PagerDutyErrorKind.AccessDenied,
        2006 => PagerDutyErrorKind.InvalidToken,
        2100 or 5001 or 5002 => PagerDutyErrorKind.NotFound,
        2020 => PagerDutyErrorKind.RateLimited,
        2000 => PagerDutyErrorKind.ServerError,
        2016 => PagerDutyErrorKind.Timeout,
        1003 or 1004 or 1013 or 1020 or 2001 or 2002 or 2003 => PagerDutyErrorKind.InvalidInput,
        _ => status switch
        {
            401 => PagerDutyErrorKind.InvalidToken,
            403 => PagerDutyErrorKind.AccessDenied,
            404 => PagerDutyErrorKind.NotFound,
            408 => PagerDutyErrorKind.Timeout,
            429 => PagerDutyErrorKind.RateLimited,
            400 => PagerDutyErrorKind.InvalidInput,
            >= 500 => PagerDutyErrorKind.ServerError,
            _ => PagerDutyErrorKind.Other,
        },
    };

    private static string Reason(PagerDutyErrorKind kind, int? code, string? message) => kind switch
    {
        PagerDutyErrorKind.AlreadyResolved => "the incident is already resolved",
        PagerDutyErrorKind.AlreadyAcknowledged => "the incident is already acknowledged",
        PagerDutyErrorKind.NotAcknowledged => "the incident is not acknowledged (only an acknowledged incident can be snoozed)",
        PagerDutyErrorKind.CannotEscalate => "the incident cannot be escalated to that level (is it past the policy's last level, or assigned directly?)",
        PagerDutyErrorKind.AssigneeNotFound => "the user to assign is not a PagerDuty user",
        PagerDutyErrorKind.RequesterNotFound => "the person acting has no PagerDuty account with that e-mail",
        PagerDutyErrorKind.AccessDenied when code == 2018 => "no access to the incident (it may have been resolved)",
        PagerDutyErrorKind.AccessDenied => "the user has no access",
        PagerDutyErrorKind.InvalidToken => "the API token was not accepted (check PagerDuty__ApiToken)",
        PagerDutyErrorKind.NotFound => "it does not exist (check the id)",
        PagerDutyErrorKind.RateLimited => "too many requests; try again in a minute",
        PagerDutyErrorKind.ServerError => "PagerDuty had an internal error; try again shortly",
        PagerDutyErrorKind.Timeout => "PagerDuty took too long; try again",
        PagerDutyErrorKind.InvalidInput => message is null ? "the request was not valid" : $"the request was not valid: {Shown(message)}",
        _ when code == 402 || message is null => "it failed",
        _ => Shown(message),
    };

    internal static ErrorBody? ParseError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonSerializer.Deserialize<ErrorEnvelope>(body, PagerDutyJson.Options)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>How long a 429 asks to wait: <c>Retry-After</c>, else PagerDuty's <c>ratelimit-reset</c> seconds, else a minute.</summary>
    public static TimeSpan RetryAfter(HttpResponseHeaders? headers, TimeProvider time)
    {
        if (headers?.RetryAfter is { } retryAfter) return RetryAfterHeader.Wait(retryAfter, time, TimeSpan.FromMinutes(1));
        if (headers is not null && headers.TryGetValues("ratelimit-reset", out var values) &&
            double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) &&
            seconds >= 0 && double.IsFinite(seconds))
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryAfter.TotalSeconds));
        return TimeSpan.FromMinutes(1);
    }

    /// <summary>The longest wait read from a header: anything longer (<c>1e308</c>, <c>Infinity</c>) means "much later" all the same.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>Text that came from PagerDuty, made fit to show: one line, at most 300 characters (whoever shows it escapes it).</summary>
    public static string Shown(string text) => PlainText.Bound(PlainText.OneLine(text), 300);
}
