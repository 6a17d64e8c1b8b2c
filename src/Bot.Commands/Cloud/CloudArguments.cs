using Bot.Commands.Routing;

namespace Bot.Commands.Cloud;

/// <summary>
/// The argument preamble the read-only cloud commands share. Each names what it asks about as its first word (and asks its own
/// question when that is missing); the rest is read the same way for all: the environment is <c>--env</c>, else the one in the
/// name (<c>securebase-staging-…</c>), else the default; how far back is <c>--since</c> (an hour by default); the verbs about a
/// whole environment (<c>alarms</c>, <c>health</c>) take its name as their first word.
/// </summary>
public static class CloudArguments
{
    /// <summary>How far back a command looks without <c>--since</c>.</summary>
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(1);

    /// <summary><c>--since</c>, or <see cref="DefaultSince"/>.</summary>
    public static TimeSpan Since(this ParsedArguments arguments) => DurationParser.Parse(arguments.Flag("since"), DefaultSince);

    /// <summary>The environment and the configured function <paramref name="wanted"/> names (<c>logs</c>, <c>invoke</c>).</summary>
    public static (SecureBaseEnvironment Env, string Function) Function(this ParsedArguments arguments, SecureBaseOptions options, string wanted) =>
        FunctionResolver.Resolve(options, wanted, arguments.Flag("env"));

    /// <summary>The environment and the configured function or table <paramref name="wanted"/> names (<c>metrics</c>).</summary>
    public static (SecureBaseEnvironment Env, string? Function, string? Table) FunctionOrTable(this ParsedArguments arguments, SecureBaseOptions options, string wanted) =>
        FunctionResolver.ResolveFunctionOrTable(options, wanted, arguments.Flag("env"));

    /// <summary>The environment named by the first word, if any (<c>alarms</c>, <c>health</c>).</summary>
    public static string? EnvironmentName(this ParsedArguments arguments) => arguments.Positional(0);

    /// <summary>The environment named by the first word, or the default.</summary>
    public static SecureBaseEnvironment Environment(this ParsedArguments arguments, SecureBaseOptions options) => options.Get(arguments.EnvironmentName());
}
