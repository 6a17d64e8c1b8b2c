namespace Bot.Commands.Aws.Lambda;

/// <summary>The Lambda operations the bot uses (rest-json). Replaceable by the SDK client when available.</summary>
public interface ILambdaClient
{
    Task<GetFunctionResponse> GetFunctionAsync(string functionName, string? qualifier, CancellationToken cancellationToken);
    /// <summary>All published versions (follows <c>NextMarker</c>).</summary>
    Task<IReadOnlyList<FunctionConfiguration>> ListVersionsByFunctionAsync(string functionName, CancellationToken cancellationToken);
    Task<AliasConfiguration> GetAliasAsync(string functionName, string alias, CancellationToken cancellationToken);
    Task<AliasConfiguration> UpdateAliasAsync(string functionName, string alias, UpdateAliasRequest update, CancellationToken cancellationToken);
    Task<FunctionConfiguration> PublishVersionAsync(string functionName, PublishVersionRequest request, CancellationToken cancellationToken);
    Task<FunctionConcurrency> GetFunctionConcurrencyAsync(string functionName, CancellationToken cancellationToken);
    Task<FunctionConcurrency> PutFunctionConcurrencyAsync(string functionName, int reservedConcurrentExecutions, CancellationToken cancellationToken);
    Task<FunctionConfiguration> UpdateFunctionConfigurationAsync(string functionName, UpdateFunctionConfigurationRequest update, CancellationToken cancellationToken);
}
