namespace Bot.Integrations.Aws;

/// <summary>
/// Settings for reaching AWS, bound from the <c>Aws</c> section. Usually empty: region, credentials
/// and endpoints come from AWS's own variables and profiles (<c>AWS_REGION</c>, <c>AWS_PROFILE</c>,
/// <c>AWS_ENDPOINT_URL[_SERVICE]</c>). The sandbox sets <see cref="EndpointUrl"/> and static keys.
/// </summary>
public sealed class AwsOptions
{
    public const string Section = "Aws";

    /// <summary>Region override; otherwise the SDK's chain (AWS_REGION, profile, instance metadata).</summary>
    public string? Region { get; set; }

    /// <summary>One endpoint for every service (as <c>AWS_ENDPOINT_URL</c>); used by the sandbox.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>Static keys (sandbox only). When empty the SDK's default credential chain is used.</summary>
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? SessionToken { get; set; }

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for a call including its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a Lambda Invoke may run (it replaces the attempt timeout; an invocation is never retried after a timeout).</summary>
    public TimeSpan InvokeTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retries after the first attempt, for throttling and 5xx answers.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base of the exponential, jittered backoff between retries.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
