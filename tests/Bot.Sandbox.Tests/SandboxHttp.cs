using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bot.Sandbox;
using Bot.Sandbox.Account;
using Bot.Sandbox.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Sandbox.Tests;

/// <summary>An AWS answer as it came over the wire.</summary>
internal sealed record AwsAnswer(HttpStatusCode Status, string Text, HttpResponseMessage Response)
{
    public JsonElement Body => JsonDocument.Parse(Text.Length == 0 ? "{}" : Text).RootElement;
    public System.Xml.Linq.XDocument Xml => System.Xml.Linq.XDocument.Parse(Text);
    public string? Header(string name) => Response.Headers.TryGetValues(name, out var v) ? v.First() : Response.Content.Headers.TryGetValues(name, out var c) ? c.First() : null;

    /// <summary>The error code after the namespace in <c>__type</c>.</summary>
    public string ErrorType => Body.GetProperty("__type").GetString()!.Split('#').Last();
}

/// <summary>
/// A sandbox server on a free loopback port with a fake clock, and requests built the way AWS clients send
/// them: JSON protocols as <c>POST /</c> with <c>X-Amz-Target</c> and <c>application/x-amz-json-1.x</c>,
/// Lambda as REST paths, each with <c>X-Amz-Date</c> and a SigV4 <c>Authorization</c> header for the
/// operation's signing name (the sandbox checks the header's shape and scope, not the HMAC).
/// </summary>
internal sealed class SandboxHttp : IAsyncDisposable
{
    /// <summary>A Tuesday afternoon.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 14, 7, 30, TimeSpan.Zero);

    private SandboxHttp(SandboxServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        Client = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public SandboxServer Server { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Client { get; }
    public SandboxAccount Account => Server.Account;
    public string AccessKeyId { get; set; } = "AKIATESTSANDBOX00001";

    public static async Task<SandboxHttp> StartAsync(Action<SandboxOptions>? configure = null, DateTimeOffset? at = null)
    {
        var time = new FakeTimeProvider(at ?? Start);
        var options = new SandboxOptions();
        configure?.Invoke(options);
        var server = await SandboxServer.StartAsync(options, time);
        return new SandboxHttp(server, time);
    }

    public long NowSeconds => Time.GetUtcNow().ToUnixTimeSeconds();
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static (string SigningName, string ContentType) ServiceOf(string target) => target.Split('.')[0] switch
    {
        "DynamoDB_20120810" => ("dynamodb", "application/x-amz-json-1.0"),
        "GraniteServiceVersion20100801" => ("monitoring", "application/x-amz-json-1.0"),
        "Logs_20140328" => ("logs", "application/x-amz-json-1.1"),
        "AWSInsightsIndexService" => ("ce", "application/x-amz-json-1.1"),
        "secretsmanager" => ("secretsmanager", "application/x-amz-json-1.1"),
        "AnyScaleFrontendService" => ("application-autoscaling", "application/x-amz-json-1.1"),
        _ => ("unknown", "application/x-amz-json-1.0"),
    };

    public Task<AwsAnswer> DynamoAsync(string operation, object body) => JsonAsync("DynamoDB_20120810." + operation, body);
    public Task<AwsAnswer> CloudWatchAsync(string operation, object body) => JsonAsync("GraniteServiceVersion20100801." + operation, body);
    public Task<AwsAnswer> LogsAsync(string operation, object body) => JsonAsync("Logs_20140328." + operation, body);
    public Task<AwsAnswer> CostAsync(object body) => JsonAsync("AWSInsightsIndexService.GetCostAndUsage", body);

    public async Task<AwsAnswer> JsonAsync(string target, object body, Action<HttpRequestMessage>? tweak = null, string? scopeService = null, string? region = null)
    {
        var (service, contentType) = ServiceOf(target);
        var payload = JsonSerializer.Serialize(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(payload, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Amz-Target", target);
        if (service == "monitoring") request.Headers.Add("x-amzn-query-mode", "true");
        Sign(request, scopeService ?? service, region ?? (service is "ce" ? "us-east-1" : Account.Options.Region), payload, "content-type;host;x-amz-date;x-amz-target");
        tweak?.Invoke(request);
        return await SendAsync(request);
    }

    public Task<AwsAnswer> SecretsAsync(string operation, object body) => JsonAsync("secretsmanager." + operation, body);

    /// <summary>An IAM request: the query protocol, signed for <c>iam</c> in us-east-1.</summary>
    public Task<AwsAnswer> IamAsync(string form) => QueryAsync(form, "iam", "us-east-1");

    /// <summary>A query-protocol request (CloudWatch by default): <c>POST /</c> with a form body, as older AWS CLIs send it.</summary>
    public async Task<AwsAnswer> QueryAsync(string form, string signingName = "monitoring", string? region = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        Sign(request, signingName, region ?? Account.Options.Region, form, "content-type;host;x-amz-date");
        return await SendAsync(request);
    }

    public async Task<AwsAnswer> LambdaAsync(HttpMethod method, string path, object? body = null, Action<HttpRequestMessage>? tweak = null)
    {
        var payload = body is null ? "" : JsonSerializer.Serialize(body);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(payload, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        }
        Sign(request, "lambda", Account.Options.Region, payload, body is null ? "host;x-amz-date" : "content-type;host;x-amz-date");
        tweak?.Invoke(request);
        return await SendAsync(request);
    }

    /// <summary>An S3 REST request, path style, signed for <c>s3</c> with <c>x-amz-content-sha256</c> as S3 requires.</summary>
    public async Task<AwsAnswer> S3Async(HttpMethod method, string pathAndQuery, string? body = null, string? contentSha256 = null, Action<HttpRequestMessage>? tweak = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        var payload = body ?? "";
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        request.Headers.Add("x-amz-content-sha256", contentSha256 ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload))));
        Sign(request, "s3", Account.Options.Region, payload, "host;x-amz-content-sha256;x-amz-date");
        tweak?.Invoke(request);
        return await SendAsync(request);
    }

    private void Sign(HttpRequestMessage request, string service, string region, string payload, string signedHeaders)
    {
        var amzDate = Time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Add("X-Amz-Date", amzDate);
        var signature = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(amzDate + payload)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/{amzDate[..8]}/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private async Task<AwsAnswer> SendAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new AwsAnswer(response.StatusCode, text, response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
