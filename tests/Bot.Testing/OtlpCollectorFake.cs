using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>One OTLP/HTTP export the collector received: the signal's path (<c>/v1/metrics</c>, <c>/v1/traces</c>, …) and the protobuf body.</summary>
public sealed record OtlpExport(string Path, string? ContentType, byte[] Body)
{
    /// <summary>True when the body holds <paramref name="text"/> (protobuf keeps names and attribute values as UTF-8).</summary>
    public bool Mentions(string text) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}

/// <summary>An OpenTelemetry collector stand-in on loopback: accepts OTLP over HTTP and keeps every export.</summary>
public sealed class OtlpCollectorFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ArrivalLog<OtlpExport> _exports = new();

    private OtlpCollectorFake(WebApplication app, Uri address)
    {
        _app = app;
        Endpoint = address;
    }

    /// <summary>For <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>).</summary>
    public Uri Endpoint { get; }

    public IReadOnlyList<OtlpExport> Exports => _exports.Items;

    public static async Task<OtlpCollectorFake> StartAsync()
    {
        OtlpCollectorFake? fake = null;
        var (app, address) = await LoopbackApp.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            fake!._exports.Add(new OtlpExport(context.Request.Path.Value ?? "/", context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        fake = new OtlpCollectorFake(app, address);
        return fake;
    }

    public Task<IReadOnlyList<OtlpExport>> WaitForAsync(Func<OtlpExport, bool> predicate, TimeSpan? timeout = null) =>
        _exports.WaitForAsync(predicate, 1, timeout ?? TimeSpan.FromSeconds(30), e => $"{e.Path} ({e.Body.Length} bytes)");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _exports.Dispose();
    }
}
