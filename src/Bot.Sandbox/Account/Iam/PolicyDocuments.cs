using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Sandbox.Account.Secrets;

namespace Bot.Sandbox.Account.Iam;

/// <summary>
/// The policy documents of the SecureBase execution roles, as JSON with four-space indentation (as the console
/// writes them). Least privilege on <c>securebase-&lt;env&gt;-*</c> resources, except two planted findings in every
/// environment: report-engine's <c>ReportsBucket</c> statement allows <c>s3:*</c> on <c>*</c>, and
/// session-management's <c>LegacySessionMirror</c> statement writes to the table <c>legacy-user-sessions</c>.
/// </summary>
internal static class PolicyDocuments
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4 };

    public static string LambdaTrust() => Document(new JsonObject
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Service"] = "lambda.amazonaws.com" },
        ["Action"] = "sts:AssumeRole",
    });

    /// <summary>Writing to the environment's Lambda log groups (instead of AWSLambdaBasicExecutionRole's <c>*</c>).</summary>
    public static string Logging(SandboxOptions o, string env) => Document(
        Statement("CreateStreamsAndWrite", ["logs:CreateLogStream", "logs:PutLogEvents"],
            [$"arn:aws:logs:{o.Region}:{o.AccountId}:log-group:/aws/lambda/securebase-{env}-*:*"]));

    /// <summary>user-management's table access, version by version: invites only (v1), sessions too (v2), the activity feed too (v3).</summary>
    public static string UserManagementData(SandboxOptions o, string env, int version)
    {
        var tables = new List<string> { SecureBaseCatalog.UserInvites };
        if (version >= 2) tables.Add(SecureBaseCatalog.UserSessions);
        if (version >= 3) tables.Add(SecureBaseCatalog.ActivityFeed);
        return Document(Statement("SecureBaseTables",
            ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            [.. tables.SelectMany(t => TableAndIndexes(o, env, t))]));
    }

    /// <summary>The inline policy of a function's role: <c>&lt;suffix&gt;-permissions</c>.</summary>
    public static string Inline(SandboxOptions o, string env, string suffix)
    {
        var statements = new List<JsonObject>();
        switch (suffix)
        {
            case SecureBaseCatalog.SessionManagement:
                statements.Add(Statement("SessionsTable", ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
                    TableAndIndexes(o, env, SecureBaseCatalog.UserSessions)));
                statements.Add(Statement("RecordActivity", ["dynamodb:PutItem"], [Table(o, env, SecureBaseCatalog.ActivityFeed)]));
                statements.Add(Statement("LegacySessionMirror", ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
                    [$"arn:aws:dynamodb:{o.Region}:{o.AccountId}:table/legacy-user-sessions"]));
                break;
            case SecureBaseCatalog.ReportEngine:
                statements.Add(Statement("ReadActivity", ["dynamodb:Query", "dynamodb:GetItem"], TableAndIndexes(o, env, SecureBaseCatalog.ActivityFeed)));
                statements.Add(Statement("ReportsTable", ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                    TableAndIndexes(o, env, SecureBaseCatalog.Reports)));
                statements.Add(Statement("ReportsBucket", "s3:*", "*"));
                break;
            case SecretsCatalog.RotationFunction:
                statements.Add(Statement("RotateSecureBaseSecrets",
                    ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
                    [$"arn:aws:secretsmanager:{o.Region}:{o.AccountId}:secret:securebase-{env}-*"]));
                break;
        }
        var secrets = SecretsCatalog.Secrets.Where(s => s.ReadBy.Contains(suffix))
            .Select(s => $"arn:aws:secretsmanager:{o.Region}:{o.AccountId}:secret:{SecretsCatalog.SecretName(env, s.Suffix)}-*").ToList();
        if (secrets.Count > 0) statements.Add(Statement("ReadSecrets", ["secretsmanager:GetSecretValue"], secrets));
        return Document([.. statements]);
    }

    /// <summary>The drift the control API plants: a debugging grant nobody removed (<c>dynamodb:*</c> on every table).</summary>
    public static string TemporaryDebugAccess(SandboxOptions o) => Document(
        Statement("TemporaryDebugAccess", "dynamodb:*", $"arn:aws:dynamodb:{o.Region}:{o.AccountId}:table/*"));

    private static string Table(SandboxOptions o, string env, string suffix) =>
        $"arn:aws:dynamodb:{o.Region}:{o.AccountId}:table/{SecureBaseCatalog.TableName(env, suffix)}";

    private static List<string> TableAndIndexes(SandboxOptions o, string env, string suffix) =>
        [Table(o, env, suffix), Table(o, env, suffix) + "/index/*"];

    private static JsonObject Statement(string sid, IEnumerable<string> actions, IEnumerable<string> resources) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]),
        ["Resource"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
    };

    private static JsonObject Statement(string sid, string action, string resource) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Action"] = action,
        ["Resource"] = resource,
    };

    private static string Document(params JsonObject[] statements) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray([.. statements]),
    }.ToJsonString(Indented);
}
