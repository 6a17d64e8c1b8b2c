using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Faults;
using Bot.Sandbox.PagerDuty;
using Bot.Sandbox.Protocols;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Control;

/// <summary>
/// The sandbox's own control API under <c>/_sandbox/</c> (no SigV4): see the account, set and clear
/// faults, simulate a code upload. Bad input gets a 400 with a JSON <c>error</c> saying what to send.
/// </summary>
internal sealed class ControlApi(SandboxAccount account)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = (context.Request.Path.Value ?? "").TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length >= 2 && segments[1] == "pagerduty")
        {
            await new PagerDutyControl(account).HandleAsync(context, segments);
            return;
        }
        try
        {
            switch (segments.Length, method)
            {
                case (1, "GET"):
                    await WriteAsync(context, 200, Summary());
                    return;
                case (2, "GET") when segments[1] == "faults":
                    await WriteAsync(context, 200, account.Faults.Active.Select(View).ToList());
                    return;
                case (2, "DELETE") when segments[1] == "faults":
                    account.Faults.ClearAll();
                    context.Response.StatusCode = 204;
                    return;
                case (3, "DELETE") when segments[1] == "faults":
                    if (account.Faults.Clear(segments[2])) context.Response.StatusCode = 204;
                    else await WriteAsync(context, 404, new { error = $"There is no active fault '{segments[2]}'. GET /_sandbox/faults lists them." });
                    return;
                case (3, "POST") when segments[1] == "faults":
                    var body = await ReadAsync(context);
                    await WriteAsync(context, 201, View(AddFault(segments[2], body)));
                    return;
                case ( >= 3, _) when segments[1] == "iam":
                    var iamBody = method is "POST" or "PUT" ? await ReadAsync(context, allowEmpty: method == "POST") : default;
                    var (iamStatus, iamAnswer) = SecurityControl.Handle(account, method, segments, iamBody);
                    if (iamAnswer is null) context.Response.StatusCode = iamStatus;
                    else await WriteAsync(context, iamStatus, iamAnswer);
                    return;
                case (4, "POST") when segments[1] == "functions" && segments[3] == "code":
                    string? release = null;
                    if ((await ReadAsync(context, allowEmpty: true)).TryGetProperty("release", out var r))
                        release = r.ValueKind == JsonValueKind.String ? r.GetString() : throw new ArgumentException("'release' must be a string such as \"1.9.0\".");
                    var latest = account.UploadCode(Uri.UnescapeDataString(segments[2]), release);
                    await WriteAsync(context, 200, new
                    {
                        function = segments[2], release = latest.Release, description = latest.Description,
                        codeSha256 = latest.CodeSha256, revisionId = latest.RevisionId,
                    });
                    return;
                default:
                    await WriteAsync(context, 404, new
                    {
                        error = $"No sandbox control endpoint {method} {path}.",
                        endpoints = Endpoints,
                    });
                    return;
            }
        }
        catch (ArgumentException ex)
        {
            await WriteAsync(context, 400, new { error = ex.Message.Split(" (Parameter")[0] });
        }
        catch (AwsException ex)
        {
            await WriteAsync(context, ex.Status, new { error = ex.Message });
        }
    }

    public static readonly string[] Endpoints =
    [
        "GET    /_sandbox                          account summary, credentials and active faults",
        "GET    /_sandbox/faults                   active faults",
        "POST   /_sandbox/faults/function-errors   {\"function\":\"securebase-prod-user-management\",\"rate\":0.5,\"version\":\"7\"|\"*\"}",
        "POST   /_sandbox/faults/bad-next-version  {\"function\":\"securebase-prod-user-management\",\"rate\":0.5}",
        "POST   /_sandbox/faults/table-throttle    {\"table\":\"securebase-prod-activity-feed\",\"rate\":0.2}",
        "POST   /_sandbox/faults/api-errors        {\"api\":\"securebase-prod-api\",\"rate\":0.1}",
        "POST   /_sandbox/faults/latency           {\"operation\":\"DescribeTable\"|\"service\":\"lambda\",\"ms\":1000}",
        "POST   /_sandbox/faults/error             {\"operation\":\"GetFunction\",\"code\":\"TooManyRequestsException\",\"status\":429,\"times\":2}",
        "POST   /_sandbox/faults/restore-fails     {\"table\":\"securebase-prod-user-sessions\",\"times\":1} (no table: any restore fails)",
        "POST   /_sandbox/faults/bucket-versioning {\"bucket\":\"securebase-prod-reports-123456789012\",\"status\":\"Suspended\"|\"Disabled\"}",
        "DELETE /_sandbox/faults                   clear every fault",
        "DELETE /_sandbox/faults/{id}              clear one fault",
        "POST   /_sandbox/functions/{name}/code    simulate CI uploading the next release to $LATEST ({\"release\":\"1.9.0\"} picks one)",
        .. SecurityControl.Endpoints,
        .. PagerDutyControl.Endpoints,
    ];

    private Fault AddFault(string kind, JsonElement body)
    {
        string? S(string name) => body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new ArgumentException($"'{name}' must be a string.")
            : null;
        double? D(string name) => body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new ArgumentException($"'{name}' must be a number.")
            : null;
        string Need(string name) => S(name) ?? throw new ArgumentException($"Send \"{name}\" in the JSON body.");

        return kind switch
        {
            "function-errors" => account.Faults.FunctionErrors(Need("function"), D("rate") ?? 0.5, S("version")),
            "bad-next-version" => account.Faults.BadNextVersion(Need("function"), D("rate") ?? 0.5),
            "table-throttle" => account.Faults.TableThrottles(Need("table"), D("rate") ?? 0.2),
            "api-errors" => account.Faults.ApiErrors(Need("api"), D("rate") ?? 0.1),
            "latency" => account.Faults.Latency(
                TimeSpan.FromMilliseconds(D("ms") is { } ms and > 0 and <= 300_000 ? ms
                    : throw new ArgumentException("Send \"ms\" (the delay in milliseconds, 1 to 300000) in the JSON body.")),
                S("operation") ?? S("service")),
            "error" => account.Faults.Error(
                S("operation") ?? S("service") ?? throw new ArgumentException("Send \"operation\" (e.g. GetFunction) or \"service\" (e.g. lambda) in the JSON body."),
                Need("code"),
                D("status") is { } status ? (status is >= 400 and <= 599 ? (int)status : throw new ArgumentException("The status must be a 4xx or 5xx HTTP status.")) : 400,
                S("message"),
                D("times") is { } t ? (t is >= 1 and <= 1_000_000 && t == Math.Floor(t) ? (int)t : throw new ArgumentException("times must be a whole number from 1 to 1000000.")) : null),
            "rotation-failure" => account.Faults.RotationFailure(S("secret")),
            "dashboard-missing" => account.Faults.DashboardMissing(Need("dashboard")),
            "iam-throttling" => account.Faults.IamThrottling(
                D("times") is { } it ? (it is >= 1 and <= 1_000_000 && it == Math.Floor(it) ? (int)it : throw new ArgumentException("times must be a whole number from 1 to 1000000.")) : null),
            "restore-fails" => account.Faults.RestoreFails(S("table"),
                D("times") is { } n ? (n is >= 1 and <= 1_000_000 && n == Math.Floor(n) ? (int)n : throw new ArgumentException("times must be a whole number from 1 to 1000000.")) : null),
            "bucket-versioning" => account.Faults.BucketVersioning(Need("bucket"), S("status") ?? "Suspended"),
            _ => throw new ArgumentException($"Unknown fault kind '{kind}'. Kinds: function-errors, bad-next-version, table-throttle, api-errors, latency, error, restore-fails, bucket-versioning, rotation-failure, dashboard-missing, iam-throttling."),
        };
    }

    private object Summary() => new
    {
        accountId = account.Options.AccountId,
        region = account.Options.Region,
        environments = account.Environments,
        credentials = new
        {
            accessKeyId = account.Options.AccessKeyId,
            secretAccessKey = account.Options.SecretAccessKey,
            deniedAccessKeyId = account.Options.DeniedAccessKeyId,
            expiredAccessKeyId = account.Options.ExpiredAccessKeyId,
        },
        functions = account.Functions.Select(f => new
        {
            name = f.Name,
            prodAlias = f.TrafficAlias?.Current.Version,
            latestPublished = f.Versions.Count > 0 ? f.Versions[^1].Version : null,
            reservedConcurrency = f.ReservedConcurrency,
        }).ToList(),
        tables = account.DynamoDb.TableNames,
        buckets = account.S3.Names,
        secrets = account.Secrets.All.Select(x => x.Name).ToList(),
        roles = account.Iam.Roles.Select(r => r.RoleName).ToList(),
        dashboards = account.Dashboards.All.Select(d => d.Name).ToList(),
        faults = account.Faults.Active.Select(View).ToList(),
        endpoints = Endpoints,
    };

    private static object View(Fault fault) => fault switch
    {
        FunctionErrorFault f => new { id = f.Id, kind = f.Kind, function = f.Function, version = f.Version ?? "*", rate = f.Rate, since = f.Start },
        BadNextVersionFault f => new { id = f.Id, kind = f.Kind, function = f.Function, rate = f.Rate },
        TableThrottleFault f => new { id = f.Id, kind = f.Kind, table = f.Table, rate = f.Rate, since = f.Start },
        ApiErrorFault f => new { id = f.Id, kind = f.Kind, api = f.Api, rate = f.Rate, since = f.Start },
        LatencyFault f => new { id = f.Id, kind = f.Kind, target = f.Target ?? "*", ms = f.Delay.TotalMilliseconds },
        RotationFailureFault f => new { id = f.Id, kind = f.Kind, secret = f.Secret ?? "*" },
        DashboardMissingFault f => new { id = f.Id, kind = f.Kind, dashboard = f.Dashboard },
        ErrorFault f => (object)new { id = f.Id, kind = f.Kind, target = f.Target, code = f.Code, status = f.Status, message = f.Message, times = f.Times },
        RestoreFailureFault f => new { id = f.Id, kind = f.Kind, table = f.SourceTable ?? "*", times = f.Times },
        BucketVersioningFault f => new { id = f.Id, kind = f.Kind, bucket = f.Bucket, status = f.Status },
        _ => new { id = fault.Id, kind = fault.Kind },
    };

    private static async Task<JsonElement> ReadAsync(HttpContext context, bool allowEmpty = false)
    {
        if (context.Request.ContentLength > 65536) throw new ArgumentException("The JSON body is too large.");
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > 65536) throw new ArgumentException("The JSON body is too large.");
        if (allowEmpty && buffer.Length == 0) return JsonDocument.Parse("{}").RootElement.Clone();
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ArgumentException("Send a JSON object.");
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ArgumentException("The body is not valid JSON; send a JSON object.");
        }
    }

    private static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
