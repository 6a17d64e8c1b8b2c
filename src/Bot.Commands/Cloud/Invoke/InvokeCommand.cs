using System.Text.Json;
using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Routing;
using Microsoft.Extensions.Options;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Invoke;

/// <summary>
/// <c>/sb invoke &lt;function&gt; --env staging [--payload '{…}']</c>: the ops guide's staging test. Runs what the
/// function's <c>PROD</c> alias points at once and shows the status code, the function error and the log tail.
/// Production is refused: running prod code is a production action, which goes through an approved change.
/// </summary>
public sealed class InvokeCommand(ILambdaClient lambda, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    /// <summary>The environment whose functions are never invoked from chat.</summary>
    public const string ProductionEnvironment = "prod";
    /// <summary>The alias invoked: the one the API sends traffic through, so the test runs what staging serves.</summary>
    public const string Alias = "PROD";
    public const int MaxPayloadBytes = 32 * 1024;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "invoke",
        Summary = "Staging test: run a function once (its PROD alias) and show the status, function error and log tail. Never prod.",
        Usage = "/sb invoke <function> --env staging [--payload '{…}']",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("env", "Environment: staging or dev (prod is refused).", ValueHint: "staging"),
            new FlagSpec("payload", "The JSON event to send (default {}).", ValueHint: "'{\"path\":\"/health\"}'"),
        ],
        Examples = ["/sb invoke user-management --env staging", "/sb invoke securebase-staging-report-engine --payload '{\"tenant_id\":\"t-42\"}'"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var wanted = context.Arguments.Positional(0)
                     ?? throw new UsageException(Line.Of("Which function? Give its name, e.g. ", Code("securebase-staging-user-management"), ", or ",
                         Code("user-management --env staging"), "."));
        var payload = Payload(context.Arguments.Flag("payload"));
        var (env, function) = context.Arguments.Function(options.Value, wanted);
        if (string.Equals(env.Name, ProductionEnvironment, StringComparison.OrdinalIgnoreCase))
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " I don't invoke production functions: running ", Code(function), " is a production action. ",
                "Test in staging (", Template("/sb invoke <function> --env staging"), "); production changes go through an approved change."));

        var answer = await AwsFailures.Guard(Line.Of("invoking ", Code($"{function}:{Alias}")), () =>
            lambda.InvokeAsync(function, new InvokeRequest { Qualifier = Alias, Payload = payload, TailLog = true }, cancellationToken));
        await context.RespondAsync(InvokeMessages.Build(function, env.Name, Alias, answer), cancellationToken);
    }

    /// <summary>The event to send: <c>{}</c> when none is given; Slack's curly quotes are read as straight ones.</summary>
    internal static string Payload(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "{}";
        var json = text.Trim().Replace('“', '"').Replace('”', '"').Replace('‘', '\'').Replace('’', '\'');
        if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxPayloadBytes)
            throw new UsageException($"The payload is too large: at most {MaxPayloadBytes / 1024} KB of JSON.");
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line && e.BytePositionInLine is { } column ? $" (line {line + 1}, position {column + 1})" : "";
            throw new UsageException(Line.Of(Code("--payload"), $" must be JSON{where}, e.g. ", Code("--payload '{\"path\":\"/health\"}'"),
                ". Quote it with single quotes so the double quotes inside stay."));
        }
        return json;
    }
}
