using Bot.Integrations;
using Bot.Workflows.Messages;
using Bot.Commands.Routing;
using Bot.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Routing;

/// <summary>
/// The command pipeline: routes <c>/sb &lt;verb&gt; [args]</c> to the handler that owns the verb, in two halves that
/// every transport uses alike. <see cref="Begin"/> is the ack half (no I/O): it reads the request once, asks the
/// policies (<see cref="ICommandPolicy"/>, where a verb may run) in their order, parses the arguments, and takes the
/// answer of a handler that answers at once. <see cref="ContinueAsync"/> is the work half: the middleware
/// (<see cref="ICommandMiddleware"/>: the audit record, the role check) around the handler. Whatever comes in, the
/// caller gets an answer and never an exception: unknown verbs and bad arguments get the usage line, a
/// <see cref="UserFacingException"/> or an <see cref="IntegrationException"/> its message, anything else a short apology
/// with an error id that is also in the log.
/// </summary>
public sealed class CommandRouter
{
    public const string SlashCommand = "/sb";

    private readonly Dictionary<string, ICommandHandler> _handlers;
    private readonly ILogger<CommandRouter> _logger;
    private readonly IReadOnlyList<ICommandMiddleware> _middleware;
    private readonly IReadOnlyList<ICommandPolicy> _policies;

    public CommandRouter(IEnumerable<ICommandHandler> handlers, ILogger<CommandRouter> logger, IEnumerable<ICommandMiddleware>? middleware = null,
        IEnumerable<ICommandPolicy>? policies = null)
    {
        _logger = logger;
        _middleware = middleware?.ToList() ?? [];
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
    /// The ack half: reads <paramref name="request"/> once and decides what it can without I/O. A turn with an
    /// <see cref="CommandTurn.Answer"/> is answered (and counted in <c>sb.commands</c>); it still owes its middleware a pass
    /// (<see cref="ContinueAsync"/>: the audit record).
    /// </summary>
    public CommandTurn Begin(CommandRequest request)
    {
        var words = CommandTokenizer.Tokenize(request.Text, out var unclosedQuote);
        ICommandHandler? handler = null;
        ParsedArguments? arguments = null;
        try
        {
            var verb = words.Count == 0 ? HelpVerb : words[0];
            if (!_handlers.TryGetValue(verb, out handler))
                return Answered(new CommandTurn(request, words, null, null, ChatMessage.EphemeralText(UnknownVerbText(verb)), CommandOutcome.UnknownVerb));
            if (Refusal(request, handler) is { } refusal)
                return Answered(new CommandTurn(request, words, handler, null, ChatMessage.EphemeralText(refusal), CommandOutcome.Refused));
            // A quote never closed swallowed the rest of the line: running on a guess (say, an empty filter) is worse than asking.
            if (unclosedQuote) throw new UsageException(UnclosedQuoteText);
            arguments = ParsedArguments.Parse(words.Skip(1).ToList(), handler.Spec);
            return handler is IAnswersAtOnce now
                ? Answered(new CommandTurn(request, words, handler, arguments, now.Answer(request, arguments), CommandOutcome.Ok))
                : new CommandTurn(request, words, handler, arguments, null, CommandOutcome.Ok);
        }
        catch (UsageException e)
        {
            return Answered(new CommandTurn(request, words, handler, arguments, ChatMessage.EphemeralText(UsageText(e, handler)), CommandOutcome.Usage));
        }
        catch (Exception e) when (e is UserFacingException or IntegrationException)
        {
            return Answered(new CommandTurn(request, words, handler, arguments, ChatMessage.EphemeralText(TextOf(e)), CommandOutcome.UserError));
        }
    }

    private static CommandTurn Answered(CommandTurn turn)
    {
        Count(turn.Request, turn.Verb, turn.Outcome);
        return turn;
    }

    /// <summary>
    /// The work half: the middleware in order, then the handler, answering through <paramref name="reply"/>. A turn whose
    /// answer went in the ack passes with <paramref name="reply"/> null: the middleware runs (its audit record), nothing
    /// is answered again. Returns the outcome (one of <see cref="CommandOutcome"/>'s values), counted by verb in
    /// <c>sb.commands</c> when the handler ran.
    /// </summary>
    public Task<string> ContinueAsync(CommandTurn turn, IReplyChannel? reply, CancellationToken cancellationToken)
    {
        Func<Task<string>> run = turn.Answer is { } answer
            ? async () =>
            {
                if (reply is not null) await TryRespond(reply, answer, cancellationToken);
                return turn.Outcome;
            }
        : () => RunHandlerAsync(turn, reply ?? throw new ArgumentNullException(nameof(reply)), cancellationToken);
        for (var i = _middleware.Count - 1; i >= 0; i--)
        {
            var step = _middleware[i];
            var next = run;
            run = () => step.InvokeAsync(turn, reply, next, cancellationToken);
        }
        return run();
    }

    /// <summary>Both halves at once, for a transport that has no ack to fill (the shell, a command button).</summary>
    public Task<string> DispatchAsync(CommandRequest request, IReplyChannel reply, CancellationToken cancellationToken) =>
        ContinueAsync(Begin(request), reply, cancellationToken);

    private async Task<string> RunHandlerAsync(CommandTurn turn, IReplyChannel reply, CancellationToken cancellationToken)
    {
        var handler = turn.Handler!;
        var outcome = CommandOutcome.Failed;
        try
        {
            await handler.HandleAsync(new CommandContext(turn.Request, turn.Arguments!, reply), cancellationToken);
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
            _logger.LogError(e, "Command {Verb} from {User} failed (error id {ErrorId})", handler.Spec.Verb, turn.Request.User.UserId, errorId);
            await TryRespond(reply,
                Line.Of(Emoji("x"), " Something went wrong running ", Code($"{SlashCommand} {handler.Spec.Verb}"), " (error id ", Code(errorId),
                    "). Nothing was changed by the failure itself; try again, and if it keeps failing give the error id to whoever runs the bot."),
                cancellationToken);
        }
        finally
        {
            Count(turn.Request, handler.Spec.Verb, outcome);
        }
        return outcome;
    }

    private static void Count(CommandRequest request, string? verb, string outcome) =>
        BotTelemetry.Commands.Add(1, new KeyValuePair<string, object?>("verb", verb ?? "(unknown)"),
            new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("transport", request.Transport.ToString().ToLowerInvariant()));

    private Line? Refusal(CommandRequest request, ICommandHandler handler)
    {
        var refusal = _policies.Select(p => p.Refusal(request, handler.Spec)).FirstOrDefault(r => r is not null);
        if (refusal is not null)
            _logger.LogWarning("{Verb} from {User} in {Channel} refused by the channel policy", handler.Spec.Verb, request.User.UserId, request.ChannelId);
        return refusal;
    }

    private static Line UsageText(UsageException e, ICommandHandler? handler) =>
        e.Text.Append("\nUsage: ", handler is null ? Template("") : Code(handler.Spec.Usage), "  (more: ", Code($"{SlashCommand} help {handler?.Spec.Verb}"), ")");

    internal static Line TextOf(Exception e) => e switch
    {
        UserFacingException u => u.Text,
        IntegrationException i => i.Text,
        _ => e.Message,
    };

    public const string HelpVerb = "help";

    public static readonly Line UnclosedQuoteText = Line.Of("A quote (", Code("\""), ") is opened and never closed. Close it, or leave it out.");

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

    private Task TryRespond(IReplyChannel reply, Line text, CancellationToken cancellationToken) =>
        TryRespond(reply, ChatMessage.EphemeralText(text), cancellationToken);

    private async Task TryRespond(IReplyChannel reply, ChatMessage answer, CancellationToken cancellationToken)
    {
        try
        {
            await reply.RespondAsync(answer, cancellationToken);
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
