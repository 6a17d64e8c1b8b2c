using Bot.Commands.Cloud;
using Bot.Workflows.Messages;

namespace Bot.Commands.Reports.Optimization;

/// <summary>One cost optimization found in the account: what, where, the evidence, the step to take, and the saving when it can be estimated.</summary>
public sealed record Recommendation(string Resource, Line Finding, Line Step, decimal? MonthlySaving = null);

/// <summary>
/// One of the operations guide's "Optimization Recommendations", computed from the account over every configured environment
/// (cost is the account's): it finds what it recommends, and nothing else.
/// </summary>
public interface IRecommender
{
    /// <summary>The guide's words for it, e.g. "Lambda: right-size memory allocation".</summary>
    string Title { get; }

    Task<IReadOnlyList<Recommendation>> FindAsync(IReadOnlyList<SecureBaseEnvironment> environments, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The prices the estimates use (us-east-1, on-demand, as AWS publishes them).</summary>
public static class Prices
{
    /// <summary>Lambda compute, per GB-second (x86).</summary>
    public const decimal LambdaGbSecond = 0.0000166667m;

    /// <summary>CloudWatch Logs storage, per GB a month.</summary>
    public const decimal LogStorageGbMonth = 0.03m;
}
