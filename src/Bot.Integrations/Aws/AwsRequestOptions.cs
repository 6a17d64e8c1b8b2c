namespace Bot.Integrations.Aws;

/// <summary>Marks on a request that change how the resilience handler treats it.</summary>
internal static class AwsRequestOptions
{
    /// <summary>
    /// The request runs code (Lambda Invoke): it gets <see cref="AwsOptions.InvokeTimeout"/> instead of the attempt
    /// timeout, and is retried only when AWS throttled it (429: it did not run), never after a timeout or a 5xx,
    /// which might have run it already.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> RunsCode = new("securebase.aws.runs-code");

    public static bool IsRunningCode(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(RunsCode, out var runs) && runs;
}
