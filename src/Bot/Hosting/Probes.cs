using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Hosting;

public static class Probes
{
    /// <summary>The health-check tag for readiness: add checks with <c>tags: ["ready"]</c> to hold back <c>/readyz</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// The health-check tag for liveness: a check tagged "live" that is Unhealthy fails <c>/healthz</c>, so the
    /// container's health check (and, over HTTP, the load balancer) replaces the instance. Only what a new instance
    /// would cure: a store outage is not one (every instance shares the store).
    /// </summary>
    public const string LiveTag = "live";

    /// <summary>
    /// <c>GET /healthz</c> (the process is up and the checks tagged "live" are not Unhealthy: today the Socket Mode
    /// connections) and <c>GET /readyz</c> (checks tagged "ready": 200 when Healthy or Degraded, 503 when Unhealthy);
    /// HEAD too. Any other method gets 405: a probe changes nothing and should not look as if it accepted a write.
    /// </summary>
    public static WebApplication MapProbes(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag), ResponseWriter = WriteAsync }).WithMetadata(ReadOnlyMethods);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).WithMetadata(ReadOnlyMethods);
        return app;
    }

    /// <summary>True for <c>/healthz</c> and <c>/readyz</c> (kept out of traces).</summary>
    public static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    private static readonly HttpMethodMetadata ReadOnlyMethods = new([HttpMethods.Get, HttpMethods.Head]);

    // Names and statuses only: exception details stay in the log.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        }));
    }
}
