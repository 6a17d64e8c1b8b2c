using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud;

/// <summary>Finds the environment and the configured function or table a user named.</summary>
public static class FunctionResolver
{
    public static (SecureBaseEnvironment Env, string Function) Resolve(SecureBaseOptions options, string wanted, string? envFlag)
    {
        var env = options.Get(envFlag ?? EnvironmentInName(options, wanted));
        var function = env.FindFunction(wanted)
                       ?? throw new UserFacingException(Line.Of("I don't know a function ", Value(wanted), $" in {env.Name}. Known: ", Names(env.Functions), "."));
        return (env, function);
    }

    public static (SecureBaseEnvironment Env, string? Function, string? Table) ResolveFunctionOrTable(SecureBaseOptions options, string wanted, string? envFlag)
    {
        var env = options.Get(envFlag ?? EnvironmentInName(options, wanted));
        if (env.FindFunction(wanted) is { } function) return (env, function, null);
        if (env.FindTable(wanted) is { } table) return (env, null, table);
        throw new UserFacingException(Line.Of("I don't know a function or table ", Value(wanted), $" in {env.Name}. Functions: ", Names(env.Functions),
            ". Tables: ", Names(env.Tables), "."));
    }

    /// <summary><c>securebase-staging-auth</c> → staging, when staging is configured.</summary>
    private static string? EnvironmentInName(SecureBaseOptions options, string name) =>
        options.Environments.Keys.FirstOrDefault(e => name.StartsWith($"securebase-{e}-", StringComparison.OrdinalIgnoreCase));

    private static Line Names(IEnumerable<string> names) => Line.Join(", ", names.Select(n => Line.Of(Code(n))));
}
