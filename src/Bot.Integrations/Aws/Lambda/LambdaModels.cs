namespace Bot.Integrations.Aws.Lambda;

// Shapes from fixtures/aws/shapes/lambda.shapes.json (only the members the bot reads or sends).

public sealed record FunctionConfiguration
{
    public string? FunctionName { get; init; }
    public string? FunctionArn { get; init; }
    public string? Runtime { get; init; }
    public string? Role { get; init; }
    public string? Handler { get; init; }
    public long? CodeSize { get; init; }
    public string? Description { get; init; }
    public int? Timeout { get; init; }
    public int? MemorySize { get; init; }
    /// <summary>A string in Lambda's model, e.g. <c>2020-04-10T19:06:32.563+0000</c>.</summary>
    public string? LastModified { get; init; }
    public string? CodeSha256 { get; init; }
    public string? Version { get; init; }
    public string? RevisionId { get; init; }
    public string? State { get; init; }
    public string? StateReason { get; init; }
    public string? LastUpdateStatus { get; init; }
    public string? LastUpdateStatusReason { get; init; }
    public FunctionEnvironment? Environment { get; init; }

    /// <summary><see cref="LastModified"/> parsed, when it can be.</summary>
    public DateTimeOffset? LastModifiedTime =>
        DateTimeOffset.TryParseExact(LastModified, ["yyyy-MM-dd'T'HH:mm:ss.fffzzzz", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "o"],
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : DateTimeOffset.TryParse(LastModified, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var u) ? u : null;
}

public sealed record FunctionEnvironment
{
    public Dictionary<string, string>? Variables { get; init; }
}

public sealed record FunctionConcurrency
{
    public int? ReservedConcurrentExecutions { get; init; }
}

public sealed record ListVersionsResponse
{
    public List<FunctionConfiguration> Versions { get; init; } = [];
    public string? NextMarker { get; init; }
}

public sealed record AliasConfiguration
{
    public string? AliasArn { get; init; }
    public string? Name { get; init; }
    public string? FunctionVersion { get; init; }
    public string? Description { get; init; }
    public string? RevisionId { get; init; }
    public AliasRoutingConfiguration? RoutingConfig { get; init; }
}

public sealed record AliasRoutingConfiguration
{
    public Dictionary<string, double>? AdditionalVersionWeights { get; init; }
}

public sealed record UpdateAliasRequest
{
    public string? FunctionVersion { get; init; }
    public string? Description { get; init; }
    public AliasRoutingConfiguration? RoutingConfig { get; init; }
    /// <summary>Only update if the alias is still at this revision (optimistic check); unknown (null or empty) is left out.</summary>
    public string? RevisionId { get; init => field = string.IsNullOrEmpty(value) ? null : value; }
}

public sealed record PublishVersionRequest
{
    public string? CodeSha256 { get; init; }
    public string? Description { get; init; }
    /// <summary>Only publish if <c>$LATEST</c> is still at this revision; unknown (null or empty) is left out, never sent empty.</summary>
    public string? RevisionId { get; init => field = string.IsNullOrEmpty(value) ? null : value; }
}

public sealed record UpdateFunctionConfigurationRequest
{
    public int? MemorySize { get; init; }
    public int? Timeout { get; init; }
    public string? Description { get; init; }
    public FunctionEnvironment? Environment { get; init; }
    /// <summary>Only update if the function is still at this revision; unknown (null or empty) is left out, never sent empty.</summary>
    public string? RevisionId { get; init => field = string.IsNullOrEmpty(value) ? null : value; }
}

/// <summary>Provisioned concurrency of an alias or version (Put answers <c>IN_PROGRESS</c>; it becomes <c>READY</c> or <c>FAILED</c>).</summary>
public sealed record ProvisionedConcurrencyConfig
{
    public int? RequestedProvisionedConcurrentExecutions { get; init; }
    public int? AvailableProvisionedConcurrentExecutions { get; init; }
    public int? AllocatedProvisionedConcurrentExecutions { get; init; }
    public string? Status { get; init; }
    public string? StatusReason { get; init; }
    public string? LastModified { get; init; }
}

/// <summary>An Invoke call. <see cref="Payload"/> is the JSON event (empty: none).</summary>
public sealed record InvokeRequest
{
    /// <summary>A version or alias; null runs <c>$LATEST</c>.</summary>
    public string? Qualifier { get; init; }
    public string Payload { get; init; } = "";
    /// <summary>Ask for the last 4 KB of the execution log (<c>X-Amz-Log-Type: Tail</c>).</summary>
    public bool TailLog { get; init; }
    /// <summary><c>RequestResponse</c> (wait for the answer), <c>Event</c> (queue it) or <c>DryRun</c> (check permissions).</summary>
    public string InvocationType { get; init; } = "RequestResponse";
}

/// <summary>Invoke's answer: the members Lambda sends in the status line and headers, and the payload.</summary>
public sealed record InvokeResponse
{
    /// <summary>200 for RequestResponse, 202 for Event, 204 for DryRun.</summary>
    public int StatusCode { get; init; }
    /// <summary><c>Unhandled</c> (or <c>Handled</c>) when the function failed; the payload then holds the error object.</summary>
    public string? FunctionError { get; init; }
    /// <summary>The execution log's last 4 KB, decoded from base64; null unless asked for.</summary>
    public string? LogTail { get; init; }
    public string? ExecutedVersion { get; init; }
    public string Payload { get; init; } = "";
}
