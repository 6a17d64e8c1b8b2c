using Bot.Commands.Routing;
using Bot.Integrations.Slack;

namespace Bot.Commands.Cloud;

/// <summary>Finds the environment and the configured function or table a user named.</summary>
public static class FunctionResolver
{
    public static (SecureBaseEnvironment Env, string Function) Resolve(SecureBaseOptions options, string wanted, string? envFlag)
    {
        var env = options.Get(envFlag ?? EnvironmentInName(options, wanted));
        var function = env.FindFunction(wanted)
                       ?? throw new UserFacingException(
                           $"I don't know a function `{Shown(wanted)}` in {env.Name}. Known: {string.Join(", ", env.Functions.Select(f => $"`{f}`"))}.");
        return (env, function);
    }

    public static (SecureBaseEnvironment Env, string? Function, string? Table) ResolveFunctionOrTable(SecureBaseOptions options, string wanted, string? envFlag)
    {
        var env = options.Get(envFlag ?? EnvironmentInName(options, wanted));
        if (env.FindFunction(wanted) is { } function) return (env, function, null);
        if (env.FindTable(wanted) is { } table) return (env, null, table);
        throw new UserFacingException(
            $"I don't know a function or table `{Shown(wanted)}` in {env.Name}. Functions: {string.Join(", ", env.Functions.Select(f => $"`{f}`"))}. " +
            $"Tables: {string.Join(", ", env.Tables.Select(t => $"`{t}`"))}.");
    }

    /// <summary><c>securebase-staging-auth</c> → staging, when staging is configured.</summary>
    private static string? EnvironmentInName(SecureBaseOptions options, string name) =>
        options.Environments.Keys.FirstOrDefault(e => name.StartsWith($"securebase-{e}-", StringComparison.OrdinalIgnoreCase));

    private static string Shown(string text) => SlackText.InCode(text);
}
