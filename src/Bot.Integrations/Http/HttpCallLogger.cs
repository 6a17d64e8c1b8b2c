using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace Bot.Integrations.Http;

/// <summary>
/// Logs each outgoing HTTP call as one line: service, method, host, path (or not: see <paramref name="showPath"/>),
/// status and time; never headers, query strings or bodies. It replaces HttpClient's default loggers, whose header
/// log state carries the raw <c>Authorization</c> value (only the formatted text is redacted), so a structured log
/// sink would have written the Slack bot token, the app token or an AWS session token.
/// </summary>
/// <param name="service">What the line names as the other side, e.g. <c>Slack</c>.</param>
/// <param name="showPath">
/// False for capability URLs whose path is itself a secret (Slack's <c>response_url</c> and upload URLs): only the
/// host is logged then.
/// </param>
public sealed class HttpCallLogger(ILogger<HttpCallLogger> logger, string service, bool showPath) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        var level = (int)response.StatusCode >= 400 ? LogLevel.Information : LogLevel.Debug;
        logger.Log(level, "{Service} {Method} {Target} answered {Status} in {ElapsedMs} ms",
            service, request.Method, Target(request), (int)response.StatusCode, (long)elapsed.TotalMilliseconds);
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        logger.LogInformation("{Service} {Method} {Target} failed after {ElapsedMs} ms: {Error}",
            service, request.Method, Target(request), (long)elapsed.TotalMilliseconds, exception.GetType().Name);

    private string Target(HttpRequestMessage request) => request.RequestUri is not { IsAbsoluteUri: true } uri
        ? "(relative)"
        : showPath ? uri.Host + uri.AbsolutePath : uri.Host;
}

/// <summary>Puts <see cref="HttpCallLogger"/> in place of a client's default loggers.</summary>
public static class HttpCallLoggerExtensions
{
    public static IHttpClientBuilder LogCallsQuietly(this IHttpClientBuilder builder, string service, bool showPath) =>
        builder.RemoveAllLoggers().AddLogger(sp => new HttpCallLogger(sp.GetRequiredService<ILogger<HttpCallLogger>>(), service, showPath), wrapHandlersPipeline: true);
}
