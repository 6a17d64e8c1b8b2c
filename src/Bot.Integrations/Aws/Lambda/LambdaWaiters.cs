namespace Bot.Integrations.Aws.Lambda;

/// <summary>A Lambda update that ended in <c>LastUpdateStatus: Failed</c>, or did not settle in time.</summary>
public sealed class LambdaUpdateFailedException(string functionName, string status, string? reason)
    : Exception($"The update of {functionName} ended {status}" + (string.IsNullOrEmpty(reason) ? "." : $": {reason}"))
{
    public string FunctionName { get; } = functionName;
    /// <summary><c>Failed</c>, or <c>InProgress</c> when it was still settling at the deadline.</summary>
    public string Status { get; } = status;
    public string? Reason { get; } = reason;
}

/// <summary>
/// Waiting for Lambda to finish applying a change, as botocore's <c>function_updated</c> waiter does: poll
/// GetFunctionConfiguration until <c>LastUpdateStatus</c> is <c>Successful</c> (done) or <c>Failed</c> (throws).
/// </summary>
public static class LambdaWaiters
{
    /// <summary>Botocore polls every 5 s; its attempts (60) make a 5-minute deadline.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The configuration once <c>LastUpdateStatus</c> is <c>Successful</c>.</summary>
    /// <exception cref="LambdaUpdateFailedException">The update failed, or was still in progress after <paramref name="timeout"/>.</exception>
    public static async Task<FunctionConfiguration> WaitForUpdateAsync(this ILambdaClient lambda, string functionName, TimeProvider time,
        TimeSpan? interval = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        ArgumentNullException.ThrowIfNull(time);
        var every = interval ?? DefaultInterval;
        var deadline = time.GetUtcNow() + (timeout ?? DefaultTimeout);
        while (true)
        {
            var configuration = await lambda.GetFunctionConfigurationAsync(functionName, null, cancellationToken);
            switch (configuration.LastUpdateStatus)
            {
                case null or "Successful":
                    return configuration;
                case "Failed":
                    throw new LambdaUpdateFailedException(functionName, "Failed", configuration.LastUpdateStatusReason);
            }
            if (time.GetUtcNow() + every > deadline)
                throw new LambdaUpdateFailedException(functionName, configuration.LastUpdateStatus, "still in progress when the wait ended");
            await Task.Delay(every, time, cancellationToken);
        }
    }
}
