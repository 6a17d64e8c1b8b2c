using System.Globalization;
using System.Text;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Protocols;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Services;

/// <summary>Invoke's answer on the wire: status, the header-bound members of InvocationResponse, and the raw payload.</summary>
internal sealed record InvokeAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Payload);

/// <summary>Lambda Invoke and provisioned concurrency.</summary>
internal sealed partial class LambdaService
{
    /// <summary>
    /// <c>POST /2015-03-31/functions/{name}/invocations</c>: qualifier from <c>?Qualifier=</c> or the name,
    /// <c>X-Amz-Invocation-Type</c>, <c>X-Amz-Log-Type: Tail</c> (the last 4 KB of the log, base64, in
    /// <c>X-Amz-Log-Result</c>); the payload is the raw body.
    /// </summary>
    public InvokeAnswer Invoke(LambdaRoute route, HttpRequest request, ReadOnlyMemory<byte> payload)
    {
        var (name, inName) = ParseName(route.FunctionName, allowQualifier: true);
        var qualifier = request.Query["Qualifier"].FirstOrDefault() ?? inName;
        var type = request.Headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        var logType = request.Headers["X-Amz-Log-Type"].FirstOrDefault() ?? "None";
        if (logType is not ("None" or "Tail"))
            throw new AwsException("InvalidParameterValueException",
                $"1 validation error detected: Value '{logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]");

        var run = account.Invoke(account.RequireFunction(name).Name, qualifier, payload, type);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-Amz-Executed-Version"] = run.ExecutedVersion,
        };
        if (run.FunctionError is { } error) headers["X-Amz-Function-Error"] = error;
        if (logType == "Tail" && type == "RequestResponse")
            headers["X-Amz-Log-Result"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(SandboxAccount.LogTail(run.Log)));
        return new InvokeAnswer(run.StatusCode, headers, run.Payload);
    }

    private object PutProvisioned(LambdaFunction fn, string? qualifier, JsonInput body)
    {
        var requested = body.Int("ProvisionedConcurrentExecutions")
            ?? throw new AwsException("InvalidParameterValueException", "1 validation error detected: Value null at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must not be null");
        return Provisioned(account.PutProvisionedConcurrency(fn.Name, qualifier, requested));
    }

    private object DeleteProvisioned(LambdaFunction fn, string? qualifier)
    {
        account.DeleteProvisionedConcurrency(fn.Name, qualifier);
        return new object();
    }

    private static object Provisioned(ProvisionedConcurrencyState state) => new
    {
        RequestedProvisionedConcurrentExecutions = state.Config.Requested,
        AvailableProvisionedConcurrentExecutions = state.Allocated,
        AllocatedProvisionedConcurrentExecutions = state.Allocated,
        Status = state.Status,
        LastModified = state.Config.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
    };
}
