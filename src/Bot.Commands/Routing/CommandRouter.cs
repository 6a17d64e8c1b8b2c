using Bot.Integrations;
using Bot.Workflows.Messages;
using Bot.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Routing;

/// <summary>
/// Routes <c>/sb &lt;verb&gt; [args]</c> to the handler that owns the verb. Whatever comes in, the
/// caller gets an answer and never an exception: unknown verbs and bad arguments get the usage
/// line, a <see cref="UserFacingException"/> its message, anything else a short apology with an
/// error id that is also in the log.
/// </summary>
public sealed class CommandRouter
{
    public const string SlashCommand = "/sb";

    private readonly Dictionary<string, ICommandHandler> _handlers;
    private readonly ILogger<CommandRouter> _logger;
    private readonly IReadOnlyList<ICommandObserver> _observers;
    private readonly IReadOnlyList<ICommandPolicy> _policies;

    public CommandRouter(IEnumerable<ICommandHandler> handlers, ILogger<CommandRouter> logger, IEnumerable<ICommandObserver>? observers = null,
        IEnumerable<ICommandPolicy>? policies = null)
    {
        _logger = logger;
        _observers = observers?.ToList() ?? [];
        _policies = policies?.ToList() ?? [];
        _handlers = new Dictionary<string, ICommandHandler>(StringComparer.OrdinalIgnoreCase);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Spec.Verb, handler))
                throw new InvalidOperationException($"Two handlers claim the verb '{handler.Spec.Verb}'.");
        }
    }

    /// <summary>The registered verbs' specs, alphabetically.</summary>
    public IReadOnlyList<CommandSpec> Specs => _handlers.Values.Select(h => h.Spec).OrderBy(s => s.Verb, StringComparer.Ordinal).ToList();

    public bool TryGetSpec(string verb, out CommandSpec spec)
    {
        if (_handlers.TryGetValue(verb, out var handler))
        {
            spec = handler.Spec;
            return true;
        }
        spec = null!;
        return false;
    }

    /// <summary>
    /// The answer to <paramref name="request"/> when it is ready at once, without I/O: an unknown verb, a refusal by a
    /// channel policy, a usage error, or a handler that <see cref="IAnswersAtOnce"/> (help). Null when the handler has
    /// to run. The caller still owes the request its observers (<see cref="RecordAsync"/>: the audit record), as
    /// <see cref="DispatchAsync"/> would have run them.
    /// </summary>
    public ChatMessage? AnswerAtOnce(CommandRequest request)
    {
        var (answer, verb, outcome) = TryAnswerAtOnce(request);
        if (answer is not null) Count(request, verb, outcome);
        return answer;
    }

    private (ChatMessage? Answer, string? Verb, string Outcome) TryAnswerAtOnce(CommandRequest request)
    {
        ICommandHandler? handler = null;
        try
        {
            var words = CommandTokenizer.Tokenize(request.Text, out var unclosedQuote);
            var verb = words.Count == 0 ? HelpVerb : words[0];
            if (!_handlers.TryGetValue(verb, out handler)) return (ChatMessage.EphemeralText(UnknownVerbText(verb)), null, CommandOutcome.UnknownVerb);
            if (Refusal(request, handler) is { } refusal) return (ChatMessage.EphemeralText(refusal), handler.Spec.Verb, CommandOutcome.Refused);
            if (unclosedQuote) throw new UsageException(UnclosedQuoteText);
            var arguments = ParsedArguments.Parse(words.Skip(1).ToList(), handler.Spec);
            return (handler is IAnswersAtOnce now ? now.Answer(request, arguments) : null, handler.Spec.Verb, CommandOutcome.Ok);
        }
        catch (UsageException e)
        {
            return (ChatMessage.EphemeralText(UsageText(e, handler)), handler?.Spec.Verb, CommandOutcome.Usage);
        }
        catch (Exception e) when (e is UserFacingException or IntegrationException)
        {
            return (ChatMessage.EphemeralText(TextOf(e)), handler?.Spec.Verb, CommandOutcome.UserError);
        }
    }

    /// <summary>Runs the observers of a request answered by <see cref="AnswerAtOnce"/> (its audit record); never throws.</summary>
    public Task RecordAsync(CommandRequest request, CancellationToken cancellationToken) => NotifyObserversAsync(request, cancellationToken);

    /// <summary>
    /// Runs the request's verb and answers through <paramref name="reply"/>; returns the outcome (one of
    /// <see cref="CommandOutcome"/>'s values), which is also counted by verb in <c>sb.commands</c>.
    /// </summary>
    public async Task<string> DispatchAsync(CommandRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        await NotifyObserversAsync(request, cancellationToken);
        ICommandHandler? handler = null;
        var outcome = CommandOutcome.Failed;
        try
        {
            var words = CommandTokenizer.Tokenize(request.Text, out var unclosedQuote);
            var verb = words.Count == 0 ? HelpVerb : words[0];
            if (!_handlers.TryGetValue(verb, out handler))
            {
                outcome = CommandOutcome.UnknownVerb;
                await reply.RespondAsync(ChatMessage.EphemeralText(UnknownVerbText(verb)), cancellationToken);
                return outcome;
            }

            if (Refusal(request, handler) is { } refusal)
            {
                outcome = CommandOutcome.Refused;
                await reply.RespondAsync(ChatMessage.EphemeralText(refusal), cancellationToken);
                return outcome;
            }
            // A quote never closed swallowed the rest of the line: running on a guess (say, an empty filter) is worse than asking.
            if (unclosedQuote) throw new UsageException(UnclosedQuoteText);
            var arguments = ParsedArguments.Parse(words.Skip(1).ToList(), handler.Spec);
            await handler.HandleAsync(new CommandContext(request, arguments, reply), cancellationToken);
            outcome = CommandOutcome.Ok;
        }
        catch (UsageException e)
        {
            outcome = CommandOutcome.Usage;
            await TryRespond(reply, UsageText(e, handler), cancellationToken);
        }
        catch (Exception e) when (e is UserFacingException or IntegrationException)
        {
            outcome = CommandOutcome.UserError;
            await TryRespond(reply, TextOf(e), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = CommandOutcome.Cancelled;
            throw;
        }
        catch (Exception e)
        {
            var errorId = Guid.NewGuid().ToString("N")[..8];
            _logger.LogError(e, "Command {Verb} from {User} failed (error id {ErrorId})", handler?.Spec.Verb, request.User.UserId, errorId);
            await TryRespond(reply,
                Line.Of(Emoji("x"), " Something went wrong running ", Code($"{SlashCommand} {handler?.Spec.Verb}"), " (error id ", Code(errorId),
                    "). Nothing was changed by the failure itself; try again, and if it keeps failing give the error id to whoever runs the bot."),
                cancellationToken);
        }
        finally
        {
            Count(request, handler?.Spec.Verb, outcome);
        }
        return outcome;
    }

    private static void Count(CommandRequest request, string? verb, string outcome) =>
        BotTelemetry.Commands.Add(1, new KeyValuePair<string, object?>("verb", verb ?? "(unknown)"),
            new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("transport", request.Transport.ToString().ToLowerInvariant()));

    /// <summary>The verb a request names, when a handler owns it (for logs); null otherwise.</summary>
    public string? VerbOf(string text)
    {
        var words = CommandTokenizer.Tokenize(text, out _);
        var verb = words.Count == 0 ? HelpVerb : words[0];
        return _handlers.TryGetValue(verb, out var handler) ? handler.Spec.Verb : null;
    }

    private Line? Refusal(CommandRequest request, ICommandHandler handler)
    {
        var refusal = _policies.Select(p => p.Refusal(request, handler.Spec)).FirstOrDefault(r => r is not null);
        if (refusal is not null)
            _logger.LogWarning("{Verb} from {User} in {Channel} refused by the channel policy", handler.Spec.Verb, request.User.UserId, request.ChannelId);
        return refusal;
    }

    private static Line UsageText(UsageException e, ICommandHandler? handler) =>
        e.Text.Append("\nUsage: ", handler is null ? Template("") : Code(handler.Spec.Usage), "  (more: ", Code($"{SlashCommand} help {handler?.Spec.Verb}"), ")");

    /// <summary>What a person reads about a failure they can act on (<see cref="UserFacingException"/>, <see cref="IntegrationException"/>).</summary>
    internal static Line TextOf(Exception e) => e switch
    {
        UserFacingException u => u.Text,
        IntegrationException i => i.Text,
        _ => e.Message,
    };

    public const string HelpVerb = "help";

    public static readonly Line UnclosedQuoteText = Line.Of("A quote (", Code("\""), ") is opened and never closed. Close it, or leave it out.");

    private async Task NotifyObserversAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnCommandAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "Command observer {Observer} failed for request {RequestId}", observer.GetType().Name, request.RequestId);
            }
        }
    }

    private Line UnknownVerbText(string verb)
    {
        var suggestion = _handlers.Keys
            .Select(k => (Verb: k, Distance: EditDistance(k, verb)))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .Select(x => x.Verb)
            .FirstOrDefault();
        var asked = Code($"{SlashCommand} {Value(verb, 40).Text}");
        return suggestion is null
            ? Line.Of("I don't know ", asked, ". Try ", Code($"{SlashCommand} help"), " for the list of commands.")
            : Line.Of("I don't know ", asked, ". Did you mean ", Code($"{SlashCommand} {suggestion}"), "? (", Code($"{SlashCommand} help"), " lists everything.)");
    }

    private async Task TryRespond(IReplyChannel reply, Line text, CancellationToken cancellationToken)
    {
        try
        {
            await reply.RespondAsync(ChatMessage.EphemeralText(text), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not deliver an error reply");
        }
    }

    private static int EditDistance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2) return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
        }
        return d[a.Length, b.Length];
    }
}

/// <summary>What came of a <c>/sb</c> request (log lines and the <c>sb.commands</c> metric).</summary>
public static class CommandOutcome
{
    public const string Ok = "ok";
    public const string UnknownVerb = "unknown_verb";
    public const string Refused = "refused";
    public const string Usage = "usage";
    public const string UserError = "user_error";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
