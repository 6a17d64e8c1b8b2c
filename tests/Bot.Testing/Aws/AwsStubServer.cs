using Bot.Testing;
using System.Collections.Concurrent;
using System.Text;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Testing.Aws;

/// <summary>A request as the stub received it: raw target, headers, body.</summary>
public sealed record StubRequest(string Method, string RawTarget, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string Path => RawTarget.Split('?')[0];
    public string Query => RawTarget.Contains('?') ? RawTarget[(RawTarget.IndexOf('?') + 1)..] : "";
}

/// <summary>What the stub answers.</summary>
public sealed record StubResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static StubResponse Json(string body, int status = 200) => new(status, body, new Dictionary<string, string> { ["Content-Type"] = "application/json" });
}

/// <summary>
/// A tiny AWS endpoint on 127.0.0.1 for client tests: records every request, answers from a
/// script, and can check each request's SigV4 signature by recomputing it from what arrived.
/// </summary>
public sealed class AwsStubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubRequest> _requests = new();
    public Func<StubRequest, StubResponse> Respond { get; set; } = _ => StubResponse.Json("{}");
    /// <summary>How long to wait before answering (the wait ends if the client gives up).</summary>
    public TimeSpan Delay { get; set; }
    public Uri BaseUri { get; private set; } = null!;
    public IReadOnlyList<StubRequest> Requests => _requests.ToList();

    private AwsStubServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var recorded = new StubRequest(context.Request.Method, raw, headers, buffer.ToArray());
            _requests.Enqueue(recorded);
            if (Delay > TimeSpan.Zero)
            {
                try { await Task.Delay(Delay, context.RequestAborted); }
                catch (OperationCanceledException) { return; }
            }
            var response = Respond(recorded);
            context.Response.StatusCode = response.Status;
            foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[k] = v;
            await context.Response.WriteAsync(response.Body);
        });
    }

    public static async Task<AwsStubServer> StartAsync()
    {
        var server = new AwsStubServer();
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Recomputes the request's signature with the given secret and compares it with its Authorization header.</summary>
    public static bool SignatureIsValid(StubRequest request, string secret, string region, string service)
    {
        var authorization = request.Header("Authorization");
        if (authorization is null) return false;
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = request.Headers.Where(h => signedHeaders.Contains(h.Key.ToLowerInvariant())).ToList();
        var amzDate = request.Header("x-amz-date")!;
        var time = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var accessKey = authorization.Split("Credential=")[1].Split('/')[0];
        var token = request.Header("x-amz-security-token");
        var result = SigV4Signer.Sign(new SignableRequest(request.Method, request.Path, request.Query, headers, request.Body),
            new AwsCredentialSet(accessKey, secret, token), region, service, time);
        return result.Authorization == authorization;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Builds the real AWS client registrations pointed at a stub.</summary>
public static class StubClients
{
    public const string AccessKey = "AKIDSTUBEXAMPLE00001";
    public const string Secret = "stub/secret/key/for/tests/0000000000000";
    public const string Region = "eu-west-1";

    /// <summary>The clients pointed at a sandbox account with its region and keys (one retry), plus <paramref name="settings"/>.</summary>
    public static ServiceProvider ForSandbox(Bot.Sandbox.Hosting.SandboxServer sandbox, Action<IServiceCollection>? configure = null, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Aws:Region"] = sandbox.Account.Options.Region,
            ["Aws:AccessKeyId"] = sandbox.Account.Options.AccessKeyId,
            ["Aws:SecretAccessKey"] = sandbox.Account.Options.SecretAccessKey,
            ["Aws:MaxRetries"] = "1",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        return Build(sandbox.BaseAddress, configure, values);
    }

    public static ServiceProvider Build(Uri endpoint, Action<IServiceCollection>? configure = null, Dictionary<string, string?>? settings = null, string? sessionToken = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Aws:EndpointUrl"] = endpoint.ToString(),
            ["Aws:AccessKeyId"] = AccessKey,
            ["Aws:SecretAccessKey"] = Secret,
            ["Aws:SessionToken"] = sessionToken,
            ["Aws:Region"] = Region,
            ["Aws:RetryBaseDelay"] = "00:00:00.010",
            ["Aws:AttemptTimeout"] = "00:00:02",
            ["Aws:TotalTimeout"] = "00:00:08",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        configure?.Invoke(services);
        services.AddAwsClients();
        return services.BuildServiceProvider();
    }
}
