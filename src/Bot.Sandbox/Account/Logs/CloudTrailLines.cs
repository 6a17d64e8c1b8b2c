using System.Globalization;
using System.Text.Json;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// The account's CloudTrail trail delivered to CloudWatch Logs (<see cref="GroupName"/>, one JSON event per log event, as
/// CloudTrail writes them): about one management event every two minutes from the SecureBase roles and the ops team, and
/// the ones the procedures' daily check is after: <c>AccessDenied</c> for the contractor user <c>contractor-jdoe</c> reaching
/// for secrets (about three a day, from 198.51.100.77) and failed console sign-ins (about two a day, from 203.0.113.57).
/// Configure the bot with <c>Security__CloudTrailLogGroup</c> set to the group's name.
/// </summary>
internal static class CloudTrailLines
{
    public const string GroupName = "aws-cloudtrail-logs-123456789012-securebase";

    private static readonly (string Source, string Name, bool ReadOnly)[] Calls =
    [
        ("dynamodb.amazonaws.com", "DescribeTable", true), ("lambda.amazonaws.com", "GetFunction", true),
        ("secretsmanager.amazonaws.com", "GetSecretValue", true), ("kms.amazonaws.com", "Decrypt", true),
        ("logs.amazonaws.com", "CreateLogStream", false), ("monitoring.amazonaws.com", "DescribeAlarms", true),
        ("lambda.amazonaws.com", "UpdateAlias20150331", false), ("sts.amazonaws.com", "AssumeRole", true),
    ];

    /// <summary>The events of one minute (most minutes have none).</summary>
    public static IEnumerable<(long At, string Message)> Minute(SandboxAccount account, long minute)
    {
        var seed = account.Options.Seed;
        var o = account.Options;
        double U(int salt) => Deterministic.Unit(seed, "cloudtrail", minute, salt);
        var start = minute * 60_000;
        if (U(1) < 0.5)
        {
            var call = Calls[(int)(U(2) * Calls.Length)];
            var env = account.Environments[(int)(U(3) * account.Environments.Length)];
            var function = SecureBaseCatalog.Functions[(int)(U(4) * SecureBaseCatalog.Functions.Count)].Suffix;
            var role = Iam.IamDirectory.RoleName(env, function);
            var at = start + (long)(U(5) * 59_000);
            yield return (at, Event(seed, o, minute, 0, at, call.Source, call.Name, call.ReadOnly, new
            {
                type = "AssumedRole",
                principalId = $"AROA{Deterministic.Guid(seed, "ct-principal:" + role):N}"[..21].ToUpperInvariant() + $":securebase-{env}-{function}",
                arn = $"arn:aws:sts::{o.AccountId}:assumed-role/{role}/securebase-{env}-{function}",
                accountId = o.AccountId,
            }, "lambda.amazonaws.com", null, null));
        }
        if (U(6) < 3.0 / 1440)
        {
            var at = start + (long)(U(7) * 59_000);
            var secret = Secrets.SecretsCatalog.SecretName("prod", Secrets.SecretsCatalog.Secrets[(int)(U(8) * Secrets.SecretsCatalog.Secrets.Count)].Suffix);
            yield return (at, Event(seed, o, minute, 1, at, "secretsmanager.amazonaws.com", "GetSecretValue", true, new
            {
                type = "IAMUser",
                principalId = "AIDASANDBOXCONTRACTOR1",
                arn = $"arn:aws:iam::{o.AccountId}:user/contractor-jdoe",
                accountId = o.AccountId,
                userName = "contractor-jdoe",
            }, "198.51.100.77", "AccessDenied",
                $"User: arn:aws:iam::{o.AccountId}:user/contractor-jdoe is not authorized to perform: secretsmanager:GetSecretValue on resource: {secret} because no identity-based policy allows the secretsmanager:GetSecretValue action"));
        }
        if (U(9) < 2.0 / 1440)
        {
            var at = start + (long)(U(10) * 59_000);
            yield return (at, Event(seed, o, minute, 2, at, "signin.amazonaws.com", "ConsoleLogin", false, new
            {
                type = "IAMUser",
                principalId = "AIDASANDBOXOPSADMIN01",
                accountId = o.AccountId,
                accessKeyId = "",
                userName = "ops-admin",
            }, "203.0.113.57", null, "Failed authentication", consoleLogin: "Failure"));
        }
    }

    private static string Event(int seed, SandboxOptions o, long minute, int n, long at, string source, string name, bool readOnly, object identity,
        string ip, string? errorCode, string? errorMessage, string? consoleLogin = null)
    {
        var e = new Dictionary<string, object?>
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = identity,
            ["eventTime"] = DateTimeOffset.FromUnixTimeMilliseconds(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["eventSource"] = source,
            ["eventName"] = name,
            ["awsRegion"] = o.Region,
            ["sourceIPAddress"] = ip,
            ["userAgent"] = source == "signin.amazonaws.com" ? "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0" : "aws-sdk-nodejs/3.637.0",
        };
        if (errorCode is not null) e["errorCode"] = errorCode;
        if (errorMessage is not null) e["errorMessage"] = errorMessage;
        e["requestParameters"] = null;
        e["responseElements"] = consoleLogin is null ? null : new { ConsoleLogin = consoleLogin };
        e["requestID"] = Deterministic.Guid(seed, "ct-request", minute * 10 + n).ToString();
        e["eventID"] = Deterministic.Guid(seed, "ct-event", minute * 10 + n).ToString();
        e["readOnly"] = readOnly;
        e["eventType"] = consoleLogin is null ? "AwsApiCall" : "AwsConsoleSignIn";
        e["managementEvent"] = true;
        e["recipientAccountId"] = o.AccountId;
        e["eventCategory"] = "Management";
        return JsonSerializer.Serialize(e);
    }
}
