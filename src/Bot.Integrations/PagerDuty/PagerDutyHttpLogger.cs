using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Logs each PagerDuty call as one line: method, path (no query: it can hold e-mail addresses), status and
/// time. It replaces HttpClient's default loggers, whose header log state carries the raw
/// <c>Authorization</c> value (only the formatted text is redacted), so a structured log sink would
/// have written the API token.
/// </summary>
internal sealed class PagerDutyHttpLogger(ILogger<PagerDutyHttpLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        var level = (int)response.StatusCode >= 400 ? LogLevel.Information : LogLevel.Debug;
        logger.Log(level, "PagerDuty {Method} {Path} answered {Status} in {ElapsedMs} ms",
            request.Method, request.RequestUri?.AbsolutePath, (int)response.StatusCode, (long)elapsed.TotalMilliseconds);
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        logger.LogInformation("PagerDuty {Method} {Path} failed after {ElapsedMs} ms: {Error}",
            request.Method, request.RequestUri?.AbsolutePath, (long)elapsed.TotalMilliseconds, exception.GetType().Name);
}
