using System.Globalization;
using System.Text;
using System.Text.Json;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Account.Logs;
using Bot.Sandbox.Account.Metrics;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account;

/// <summary>Lambda Invoke: runs a version (chosen by qualifier or alias routing) under the fault model and logs it.</summary>
public sealed partial class SandboxAccount
{
    private long _invocations;

    /// <summary>
    /// Invokes <paramref name="functionName"/>: <paramref name="qualifier"/> names a version or alias (null:
    /// <c>$LATEST</c>). A version with a function-errors fault in force fails that share of invocations, answering
    /// 200 with <c>X-Amz-Function-Error: Unhandled</c> and an error object; reserved concurrency 0 throttles (429).
    /// The lines the function writes go to its log group. <paramref name="payload"/> must be JSON (or empty).
    /// </summary>
    public Invocation Invoke(string functionName, string? qualifier, ReadOnlyMemory<byte> payload, string invocationType = "RequestResponse")
    {
        if (invocationType is not ("RequestResponse" or "Event" or "DryRun"))
            throw new AwsException("InvalidParameterValueException",
                $"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        var fn = RequireFunction(functionName);
        var n = Interlocked.Increment(ref _invocations);
        var version = ExecutedVersion(fn, qualifier, n);
        if (!payload.IsEmpty) CheckJson(payload);
        if (fn.ReservedConcurrency == 0)
            throw new AwsException("TooManyRequestsException", "Rate Exceeded.", 429) { Reason = "ReservedFunctionConcurrentInvocationLimitExceeded" };
        if (invocationType == "DryRun") return new Invocation(204, version, null, [], "");

        var seed = Options.Seed;
        var key = fn.Name + ":invoke";
        double U(int salt) => Deterministic.Unit(seed, key, n, salt);
        var now = Time.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        var requestId = Deterministic.Guid(seed, key + ":req", n).ToString();
        var code = fn.Version(version)!;
        var fails = Faults.FunctionErrorRate(fn.Name, version, now) is var rate and > 0 && U(1) < rate;
        var duration = Math.Max(1, fn.Profile.AverageDurationMs * (0.5 + U(2)) * (fails ? 1.8 : 1));
        var stream = $"{now.UtcDateTime:yyyy'/'MM'/'dd}/[{version}]{Deterministic.Guid(seed, key + ":stream:" + version).ToString("N")}";

        var cold = Trends.ColdStart(fn.Profile.Runtime);
        var lines = new List<(long At, string Stream, string Message)>
        {
            (at, stream, $"START RequestId: {requestId} Version: {version}"),
            (at + 3, stream, fails
                ? LogLines.Error(fn, at + 3, requestId, version, ErrorCause.BadVersion, null, U)
                : LogLines.Info(fn, at + 3, requestId, U)),
            (at + (long)duration, stream, $"END RequestId: {requestId}"),
            (at + (long)duration, stream, LogLines.Report(fn, requestId, duration, Trends.MemoryShare(fn.Profile.Suffix, U(3)),
                U(40) < cold.Rate ? Math.Round(cold.MinMs + cold.SpreadMs * U(41), 2) : null)),
        };
        Logs.Append(fn.Name, lines);
        var log = string.Join("", lines.Select(l => l.Message + "\n"));

        if (invocationType == "Event") return new Invocation(202, version, null, [], log);
        var answer = fails ? ErrorObject(fn, version, requestId) : Answer(fn, code);
        return new Invocation(200, version, fails ? "Unhandled" : null, JsonSerializer.SerializeToUtf8Bytes(answer, SandboxJson.Plain), log);
    }

    /// <summary>The version an invocation runs: the qualifier's, or for an alias a draw over its routing.</summary>
    private string ExecutedVersion(LambdaFunction fn, string? qualifier, long n)
    {
        if (qualifier is null or "$LATEST") return "$LATEST";
        if (fn.Aliases.TryGetValue(qualifier, out var alias))
        {
            var routing = alias.Current;
            return routing.AdditionalVersion is { } extra && Deterministic.Unit(Options.Seed, fn.Name + ":invoke-route", n) < routing.AdditionalWeight
                ? extra
                : routing.Version;
        }
        return fn.Version(qualifier) is not null
            ? qualifier
            : throw new AwsException("ResourceNotFoundException", $"Function not found: {FunctionArn(fn.Name, qualifier)}", 404);
    }

    private static void CheckJson(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new AwsException("InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: " + e.Message.Split(" Path:")[0]);
        }
    }

    /// <summary>What a healthy SecureBase function answers a test event with: an API Gateway proxy response.</summary>
    private static object Answer(LambdaFunction fn, FunctionVersion code) => new
    {
        statusCode = 200,
        headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        body = JsonSerializer.Serialize(new { ok = true, service = fn.Profile.Suffix, release = code.Release, stage = fn.Environment }, SandboxJson.Plain),
    };

    /// <summary>The error object the runtime returns for an unhandled error (Node or Python shape).</summary>
    private static object ErrorObject(LambdaFunction fn, string version, string requestId) =>
        fn.Profile.Runtime.StartsWith("python", StringComparison.Ordinal)
            ? new
            {
                errorMessage = "'tenant_id'",
                errorType = "KeyError",
                requestId,
                stackTrace = new[] { "  File \"/var/task/report_engine/app.py\", line 88, in handler\n    tenant = event[\"tenant_id\"]\n" },
            }
            : new
            {
                errorType = "TypeError",
                errorMessage = "Cannot read properties of undefined (reading 'tenantId')",
                trace = new[]
                {
                    "TypeError: Cannot read properties of undefined (reading 'tenantId')",
                    $"    at Runtime.handler (file:///var/task/{fn.Profile.Handler.Split('.')[0]}.mjs:88:31) [version {version}]",
                },
            };

    /// <summary>The last 4 KB of a log, as <c>X-Amz-Log-Result</c> carries it (before base64).</summary>
    public static string LogTail(string log)
    {
        const int max = 4096;
        var bytes = Encoding.UTF8.GetBytes(log);
        if (bytes.Length <= max) return log;
        var start = bytes.Length - max;
        while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80) start++; // not in the middle of a character
        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    /// <summary>Requests provisioned concurrency on an alias or published version (status <c>IN_PROGRESS</c> until allocated).</summary>
    public ProvisionedConcurrencyState PutProvisionedConcurrency(string functionName, string? qualifier, int requested)
    {
        if (requested < 1)
            throw new AwsException("InvalidParameterValueException",
                $"1 validation error detected: Value '{requested.ToString(CultureInfo.InvariantCulture)}' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1");
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            var target = ProvisionedTarget(fn, qualifier);
            if (fn.Aliases.TryGetValue(target, out var alias) && alias.Current.AdditionalVersion is not null)
                throw new AwsException("InvalidParameterValueException", "Alias with weights can not be used with Provisioned Concurrency");
            var others = fn.ProvisionedConcurrency.Values.Where(c => c.Qualifier != target).Sum(c => c.Requested);
            if (fn.ReservedConcurrency is { } reserved && others + requested > reserved)
                throw new AwsException("InvalidParameterValueException", "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
            var config = new ProvisionedConcurrencyConfig(target, requested, SandboxGenerator.Truncate(Time.GetUtcNow()));
            fn.ProvisionedConcurrency = fn.ProvisionedConcurrency.SetItem(target, config);
            return new ProvisionedConcurrencyState(config, "IN_PROGRESS", 0);
        }
    }

    /// <summary>The provisioned concurrency of an alias or version; <c>READY</c> once <see cref="SandboxOptions.ProvisionedConcurrencyAllocationTime"/> has passed.</summary>
    public ProvisionedConcurrencyState GetProvisionedConcurrency(string functionName, string? qualifier)
    {
        var fn = RequireFunction(functionName);
        var target = ProvisionedTarget(fn, qualifier);
        if (!fn.ProvisionedConcurrency.TryGetValue(target, out var config))
            throw new AwsException("ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function", 404);
        var ready = Time.GetUtcNow() - config.LastModified >= Options.ProvisionedConcurrencyAllocationTime;
        return new ProvisionedConcurrencyState(config, ready ? "READY" : "IN_PROGRESS", ready ? config.Requested : 0);
    }

    /// <summary>Removes the provisioned concurrency of an alias or version (nothing to remove is not an error).</summary>
    public void DeleteProvisionedConcurrency(string functionName, string? qualifier)
    {
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            fn.ProvisionedConcurrency = fn.ProvisionedConcurrency.Remove(ProvisionedTarget(fn, qualifier));
        }
    }

    private string ProvisionedTarget(LambdaFunction fn, string? qualifier)
    {
        if (string.IsNullOrEmpty(qualifier))
            throw new AwsException("InvalidParameterValueException", "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null");
        if (qualifier == "$LATEST")
            throw new AwsException("InvalidParameterValueException", "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        if (!fn.Aliases.ContainsKey(qualifier) && fn.Versions.All(v => v.Version != qualifier))
            throw new AwsException("ResourceNotFoundException", $"Function not found: {FunctionArn(fn.Name, qualifier)}", 404);
        return qualifier;
    }
}
