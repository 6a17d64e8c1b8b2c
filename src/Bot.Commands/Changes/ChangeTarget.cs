using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>The function a change is about, in its environment, and its counterpart in staging (for the staging-first rule).</summary>
public sealed record ChangeTarget(string Environment, string Function, string? StagingFunction)
{
    public const string Alias = "PROD";
    public const string Production = "prod";
    public const string Staging = "staging";

    public bool IsProduction => string.Equals(Environment, Production, StringComparison.OrdinalIgnoreCase);

    public static ChangeTarget Resolve(SecureBaseOptions options, string? wanted, string? envFlag)
    {
        if (string.IsNullOrWhiteSpace(wanted))
            throw new UsageException(Line.Of("Which function? e.g. ", Code("user-management"), " or ", Code("securebase-prod-user-management"), "."));
        var (env, function) = FunctionResolver.Resolve(options, wanted, envFlag);
        string? staging = null;
        if (string.Equals(env.Name, Production, StringComparison.OrdinalIgnoreCase) && options.Environments.TryGetValue(Staging, out var stagingEnv))
        {
            var suffix = function.StartsWith($"securebase-{env.Name}-", StringComparison.OrdinalIgnoreCase) ? function[$"securebase-{env.Name}-".Length..] : function;
            staging = stagingEnv.FindFunction(suffix);
        }
        return new ChangeTarget(env.Name, function, staging);
    }
}
