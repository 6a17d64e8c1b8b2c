namespace Bot.Integrations.Aws.Lambda;

/// <summary>
/// The Lambda operations the bot uses (rest-json). Replaceable by the SDK client when available. Errors are
/// <see cref="AwsServiceException"/>s whose <see cref="AwsServiceException.Kind"/> says what happened (for
/// example <see cref="AwsErrorKind.PreconditionFailed"/> when a <c>RevisionId</c> no longer matches).
/// </summary>
[AwsClient("lambda")]
public interface ILambdaClient
{
    /// <summary>
    /// Code hash, environment, memory, timeout, state, RevisionId and LastUpdateStatus of <c>$LATEST</c> or a version or
    /// alias. (Not GetFunction: it answers the same configuration and a URL to download the code, which the bot never
    /// needs and its role is not granted.)
    /// </summary>
    Task<FunctionConfiguration> GetFunctionConfigurationAsync(string functionName, string? qualifier, CancellationToken cancellationToken);
    /// <summary>All published versions and <c>$LATEST</c> (follows <c>NextMarker</c>).</summary>
    Task<IReadOnlyList<FunctionConfiguration>> ListVersionsByFunctionAsync(string functionName, CancellationToken cancellationToken);
    Task<AliasConfiguration> GetAliasAsync(string functionName, string alias, CancellationToken cancellationToken);
    /// <summary>Moves an alias; with <see cref="UpdateAliasRequest.RevisionId"/> only if it has not changed since (else 412).</summary>
    [ChangesAws]
    Task<AliasConfiguration> UpdateAliasAsync(string functionName, string alias, UpdateAliasRequest update, CancellationToken cancellationToken);
    /// <summary>Publishes <c>$LATEST</c>; <see cref="PublishVersionRequest.CodeSha256"/> and <see cref="PublishVersionRequest.RevisionId"/> make sure it is the code that was approved.</summary>
    [ChangesAws]
    Task<FunctionConfiguration> PublishVersionAsync(string functionName, PublishVersionRequest request, CancellationToken cancellationToken);
    Task<FunctionConcurrency> GetFunctionConcurrencyAsync(string functionName, CancellationToken cancellationToken);
    [ChangesAws]
    Task<FunctionConcurrency> PutFunctionConcurrencyAsync(string functionName, int reservedConcurrentExecutions, CancellationToken cancellationToken);
    [ChangesAws]
    Task DeleteFunctionConcurrencyAsync(string functionName, CancellationToken cancellationToken);
    Task<ProvisionedConcurrencyConfig> GetProvisionedConcurrencyConfigAsync(string functionName, string qualifier, CancellationToken cancellationToken);
    [ChangesAws]
    Task<ProvisionedConcurrencyConfig> PutProvisionedConcurrencyConfigAsync(string functionName, string qualifier, int provisionedConcurrentExecutions, CancellationToken cancellationToken);
    [ChangesAws]
    Task DeleteProvisionedConcurrencyConfigAsync(string functionName, string qualifier, CancellationToken cancellationToken);
    /// <summary>Changes <c>$LATEST</c>'s settings; it is <c>InProgress</c> until the update settles (see <see cref="LambdaWaiters"/>).</summary>
    [ChangesAws]
    Task<FunctionConfiguration> UpdateFunctionConfigurationAsync(string functionName, UpdateFunctionConfigurationRequest update, CancellationToken cancellationToken);
    /// <summary>Runs the function. A function that fails still answers 200, with <see cref="InvokeResponse.FunctionError"/> set.</summary>
    [ChangesAws, IamAction("InvokeFunction")]
    Task<InvokeResponse> InvokeAsync(string functionName, InvokeRequest request, CancellationToken cancellationToken);
}
