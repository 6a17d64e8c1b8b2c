using System.Text.Json.Nodes;

namespace Bot.Sandbox.Account.Dashboards;

/// <summary>A CloudWatch dashboard: its name, body (the dashboard JSON) and when it was last saved.</summary>
public sealed record Dashboard(string Name, string Arn, string Body, DateTimeOffset LastModified)
{
    public long Size => System.Text.Encoding.UTF8.GetByteCount(Body);
}

/// <summary>
/// The operations guide's dashboards: <c>SecureBase-Phase4-Prod</c> and <c>SecureBase-Phase4-Dev</c> (staging has none),
/// each with the guide's key metrics as metric widgets: Lambda invocations and errors, DynamoDB read and write capacity
/// consumed, API Gateway requests and latency, and the reports bucket's size. Their bodies use the console's
/// shorthand (<c>"..."</c> and <c>"."</c>) where the console would. A <c>dashboard-missing</c> fault takes one away.
/// </summary>
public sealed class DashboardBook
{
    private readonly SandboxAccount _account;
    private readonly IReadOnlyList<Dashboard> _dashboards;

    internal DashboardBook(SandboxAccount account)
    {
        _account = account;
        _dashboards = account.Environments.Where(e => e is "prod" or "dev")
            .Select(env => new Dashboard(NameOf(env), $"arn:aws:cloudwatch::{account.Options.AccountId}:dashboard/{NameOf(env)}", Body(account, env),
                DateTimeOffset.FromUnixTimeSeconds(account.Created.AddDays(env == "prod" ? -23 : -41).ToUnixTimeSeconds())))
            .ToList();
    }

    /// <summary><c>SecureBase-Phase4-Prod</c> for prod, <c>SecureBase-Phase4-Dev</c> for dev.</summary>
    public static string NameOf(string environment) => "SecureBase-Phase4-" + char.ToUpperInvariant(environment[0]) + environment[1..];

    /// <summary>The dashboards there are now (a dashboard-missing fault hides one).</summary>
    public IEnumerable<Dashboard> All => _dashboards.Where(d => !_account.Faults.IsDashboardMissing(d.Name));

    public Dashboard? Find(string name, bool ignoreFaults = false) =>
        (ignoreFaults ? _dashboards : All).FirstOrDefault(d => d.Name == name);

    private static string Body(SandboxAccount account, string env)
    {
        var region = account.Options.Region;
        string F(string suffix) => SecureBaseCatalog.FunctionName(env, suffix);
        string T(string suffix) => SecureBaseCatalog.TableName(env, suffix);
        var api = SecureBaseCatalog.ApiName(env);
        var bucket = $"securebase-{env}-reports-{account.Options.AccountId}";
        JsonArray M(params object[] parts) => new([.. parts.Select(p => p is JsonNode n ? n : JsonValue.Create(p))]);
        JsonObject Widget(int x, int y, string title, JsonArray metrics, string stat, int period, string view = "timeSeries") => new()
        {
            ["type"] = "metric",
            ["x"] = x,
            ["y"] = y,
            ["width"] = 12,
            ["height"] = 6,
            ["properties"] = new JsonObject
            {
                ["metrics"] = metrics,
                ["view"] = view,
                ["stacked"] = false,
                ["region"] = region,
                ["title"] = title,
                ["stat"] = stat,
                ["period"] = period,
            },
        };
        var widgets = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "text", ["x"] = 0, ["y"] = 0, ["width"] = 24, ["height"] = 1,
                ["properties"] = new JsonObject { ["markdown"] = $"# SecureBase Phase 4 — {env} (analytics and RBAC)" },
            },
            Widget(0, 1, "Lambda invocations", new JsonArray(
                M("AWS/Lambda", "Invocations", "FunctionName", F(SecureBaseCatalog.UserManagement)),
                M("...", F(SecureBaseCatalog.SessionManagement)),
                M("...", F(SecureBaseCatalog.ReportEngine))), "Sum", 300),
            Widget(12, 1, "Lambda errors", new JsonArray(
                M("AWS/Lambda", "Errors", "FunctionName", F(SecureBaseCatalog.UserManagement)),
                M(".", ".", ".", F(SecureBaseCatalog.SessionManagement)),
                M(".", ".", ".", F(SecureBaseCatalog.ReportEngine))), "Sum", 300),
            Widget(0, 7, "DynamoDB read capacity consumed", new JsonArray([.. SecureBaseCatalog.Tables.Select(t =>
                (JsonNode)M("AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", T(t.Suffix)))]), "Sum", 300),
            Widget(12, 7, "DynamoDB write capacity consumed", new JsonArray([.. SecureBaseCatalog.Tables.Select(t =>
                (JsonNode)M("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", T(t.Suffix)))]), "Sum", 300),
            Widget(0, 13, "API Gateway requests", new JsonArray(
                M("AWS/ApiGateway", "Count", "ApiName", api),
                M(".", "4XXError", ".", "."),
                M(".", "5XXError", ".", ".")), "Sum", 300),
            Widget(12, 13, "API Gateway latency", new JsonArray(
                M("AWS/ApiGateway", "Latency", "ApiName", api),
                M("...", new JsonObject { ["stat"] = "p99", ["label"] = "Latency p99" })), "Average", 300),
            Widget(0, 19, "Reports bucket size", new JsonArray(
                M("AWS/S3", "BucketSizeBytes", "BucketName", bucket, "StorageType", "StandardStorage")), "Average", 86400),
        };
        return new JsonObject { ["widgets"] = widgets }.ToJsonString();
    }
}
