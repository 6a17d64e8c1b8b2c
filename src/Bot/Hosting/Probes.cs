namespace Bot.Hosting;

public static class Probes
{
    /// <summary><c>GET /healthz</c> (process is up) and <c>GET /readyz</c> (dependencies ready).</summary>
    public static WebApplication MapProbes(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/readyz", () => Results.Ok(new { status = "ready" }));
        return app;
    }
}
