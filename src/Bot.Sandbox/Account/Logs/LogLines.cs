using System.Globalization;
using Bot.Sandbox.Account.Lambda;

namespace Bot.Sandbox.Account.Logs;

/// <summary>Why an invocation failed, which decides what its error line says.</summary>
internal enum ErrorCause
{
    Everyday,
    BadVersion,
    Throttling,
}

/// <summary>
/// The text of a SecureBase function's log lines in the Lambda text format (Node:
/// <c>time\trequestId\tLEVEL\tmessage</c>; Python: <c>[LEVEL]\ttime\trequestId\tmessage</c>), including, now
/// and then, things a log must not leak (an e-mail address, an access key id) so redaction gets exercised.
/// </summary>
internal static class LogLines
{
    private static readonly string[] People = ["dana.kim", "m.okafor", "j.alvarez", "priya.natarajan", "t.nguyen", "s.becker", "l.moreau"];
    private static readonly string[] Domains = ["northwind-health.com", "example.org", "contoso-clinic.net"];
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Info(LambdaFunction fn, long at, string requestId, Func<int, double> u)
    {
        var user = 10_000 + (int)(u(1) * 89_999);
        var tenant = 100 + (int)(u(2) * 800);
        var id = ((ulong)(u(3) * ulong.MaxValue)).ToString("x12", CultureInfo.InvariantCulture)[..12];
        var pick = u(4);
        var text = fn.Profile.Suffix switch
        {
            SecureBaseCatalog.UserManagement => pick switch
            {
                < 0.35 => $"User profile updated {{\"userId\":\"u-{user}\",\"tenantId\":\"t-{tenant}\",\"fields\":[\"displayName\",\"locale\"]}}",
                < 0.6 => $"Listed users {{\"tenantId\":\"t-{tenant}\",\"count\":{(int)(u(5) * 240) + 1},\"page\":1}}",
                < 0.8 => $"Role assignment changed {{\"userId\":\"u-{user}\",\"role\":\"{(u(6) < 0.5 ? "auditor" : "admin")}\",\"by\":\"u-{user + 17}\"}}",
                < 0.97 => $"Invite created {{\"inviteId\":\"inv-{id}\",\"tenantId\":\"t-{tenant}\",\"email\":\"{Email(u(7))}\"}}",
                _ => $"Loaded configuration {{\"region\":\"us-east-1\",\"accessKeyId\":\"{AccessKey(fn.Environment, u(8))}\",\"stage\":\"{fn.Environment}\"}}",
            },
            SecureBaseCatalog.SessionManagement => pick switch
            {
                < 0.4 => $"Session refreshed {{\"sessionId\":\"s-{id}\",\"userId\":\"u-{user}\"}}",
                < 0.75 => $"Session created {{\"sessionId\":\"s-{id}\",\"userId\":\"u-{user}\",\"ttlSeconds\":3600,\"mfa\":{(u(5) < 0.8 ? "true" : "false")}}}",
                < 0.92 => $"Session revoked {{\"sessionId\":\"s-{id}\",\"reason\":\"logout\"}}",
                _ => $"Expired sessions swept {{\"deleted\":{(int)(u(5) * 40)}}}",
            },
            _ => pick switch
            {
                < 0.5 => $"Report generated {{\"reportId\":\"r-{id}\",\"type\":\"compliance-weekly\",\"rows\":{(int)(u(5) * 50_000)},\"s3Key\":\"reports/t-{tenant}/{id}.pdf\"}}",
                < 0.9 => $"Fetching activity for tenant t-{tenant} since {DateTimeOffset.FromUnixTimeMilliseconds(at).AddDays(-7):yyyy-MM-dd}",
                _ => $"Report delivered {{\"reportId\":\"r-{id}\",\"recipient\":\"{Email(u(7))}\"}}",
            },
        };
        return Line(fn, at, requestId, "INFO", text);
    }

    /// <summary>An error line: a bad version's crash, a throttled table's exhausted retries, or one of the everyday errors.</summary>
    public static string Error(LambdaFunction fn, long at, string requestId, string version, ErrorCause cause, string? table, Func<int, double> u)
    {
        var python = fn.Profile.Runtime.StartsWith("python", StringComparison.Ordinal);
        string text;
        if (cause == ErrorCause.Throttling)
        {
            text = python
                ? $"ProvisionedThroughputExceededException: An error occurred (ProvisionedThroughputExceededException) when calling the PutItem operation (reached max retries: 4): The level of configured provisioned throughput for the table was exceeded. Table: {table}"
                : $"Invoke Error {{\"errorType\":\"ProvisionedThroughputExceededException\",\"errorMessage\":\"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.\",\"table\":\"{table}\",\"$retries\":3}}";
        }
        else if (cause == ErrorCause.BadVersion)
        {
            text = python
                ? $"KeyError: 'tenant_id' (version {version})\nTraceback (most recent call last):\n  File \"/var/task/report_engine/app.py\", line 88, in handler\n    tenant = event[\"tenant_id\"]"
                : $"Invoke Error {{\"errorType\":\"Runtime.UnhandledPromiseRejection\",\"errorMessage\":\"TypeError: Cannot read properties of undefined (reading 'tenantId')\",\"version\":\"{version}\",\"stack\":[\"Runtime.UnhandledPromiseRejection: TypeError: Cannot read properties of undefined (reading 'tenantId')\",\"    at process.<anonymous> (file:///var/runtime/index.mjs:1276:17)\"]}}";
        }
        else
        {
            var pick = u(11);
            text = fn.Profile.Suffix switch
            {
                SecureBaseCatalog.UserManagement => pick < 0.6
                    ? $"Invoke Error {{\"errorType\":\"ConditionalCheckFailedException\",\"errorMessage\":\"The conditional request failed\",\"table\":\"{SecureBaseCatalog.TableName(fn.Environment, SecureBaseCatalog.UserInvites)}\"}}"
                    : $"Failed to send invite email {{\"to\":\"{Email(u(12))}\",\"errorType\":\"MessageRejected\",\"errorMessage\":\"Email address is not verified.\"}}",
                SecureBaseCatalog.SessionManagement => pick < 0.7
                    ? "Invoke Error {\"errorType\":\"TokenExpiredError\",\"errorMessage\":\"jwt expired\"}"
                    : "Task timed out after 10.01 seconds",
                _ => $"ClientError: An error occurred (AccessDeniedException) when calling the Decrypt operation: access key {AccessKey(fn.Environment, u(12))} is not authorized to perform: kms:Decrypt",
            };
        }
        return Line(fn, at, requestId, "ERROR", text);
    }

    /// <summary>A WARN line in the function's runtime format.</summary>
    public static string Warn(LambdaFunction fn, long at, string requestId, string text) => Line(fn, at, requestId, "WARN", text);

    public static string ThrottleWarning(LambdaFunction fn, long at, string requestId, string table, int attempt) =>
        Line(fn, at, requestId, "WARN",
            $"DynamoDB request throttled, retrying {{\"table\":\"{table}\",\"attempt\":{attempt},\"errorType\":\"ProvisionedThroughputExceededException\"}}");

    /// <summary>The REPORT line of an invocation; a cold start adds its Init Duration, as Lambda does.</summary>
    public static string Report(LambdaFunction fn, string requestId, double durationMs, double maxMemoryShare, double? initDurationMs = null) =>
        string.Create(CultureInfo.InvariantCulture,
            $"REPORT RequestId: {requestId}\tDuration: {durationMs:0.00} ms\tBilled Duration: {Math.Ceiling(durationMs):0} ms\tMemory Size: {fn.Latest.MemorySize} MB\tMax Memory Used: {(int)(fn.Latest.MemorySize * maxMemoryShare)} MB\t")
        + (initDurationMs is { } init ? string.Create(CultureInfo.InvariantCulture, $"Init Duration: {init:0.00} ms\t") : "");

    private static string Line(LambdaFunction fn, long at, string requestId, string level, string text)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return fn.Profile.Runtime.StartsWith("python", StringComparison.Ordinal)
            ? $"[{level}]\t{time}\t{requestId}\t{text}"
            : $"{time}\t{requestId}\t{level}\t{text}";
    }

    private static string Email(double u)
    {
        var person = People[(int)(u * People.Length) % People.Length];
        var domain = Domains[(int)(u * 1000) % Domains.Length];
        return $"{person}@{domain}";
    }

    /// <summary>Something shaped like an AWS access key id (AKIA + 16 base32 characters); not a real key.</summary>
    private static string AccessKey(string environment, double u)
    {
        var h = Deterministic.Mix(Deterministic.Hash(environment) ^ (ulong)(u * 1e9));
        var chars = new char[16];
        for (var i = 0; i < 16; i++)
        {
            chars[i] = KeyAlphabet[(int)(h & 31)];
            h = i == 11 ? Deterministic.Mix(h) : h >> 5;
        }
        return "AKIA" + new string(chars);
    }
}
