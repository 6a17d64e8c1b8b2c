using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>
/// One <c>/sb</c> request on its way through the command pipeline (<see cref="CommandRouter"/>), read once. The ack half
/// (<see cref="CommandRouter.Begin"/>, no I/O) finds the verb, asks the policies where it may run, parses the arguments,
/// and lets a handler that answers at once answer: then <see cref="Answer"/> is set and the transport can put it in its
/// acknowledgement. The work half (<see cref="CommandRouter.ContinueAsync"/>) runs the middleware (the audit record, the
/// role check) around the handler.
/// </summary>
public sealed class CommandTurn
{
    internal CommandTurn(CommandRequest request, IReadOnlyList<string> words, ICommandHandler? handler, ParsedArguments? arguments, ChatMessage? answer, string outcome)
    {
        Request = request;
        Words = words;
        Handler = handler;
        Arguments = arguments;
        Answer = answer;
        Outcome = outcome;
    }

    public CommandRequest Request { get; }

    /// <summary>The request's words (<see cref="CommandTokenizer"/>), the verb first.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The handler that owns the verb; null for an unknown verb.</summary>
    public ICommandHandler? Handler { get; }

    /// <summary>The parsed arguments; null when the turn was decided before they were read.</summary>
    public ParsedArguments? Arguments { get; }

    /// <summary>
    /// The whole answer, when it was ready in the ack: an unknown verb, a refusal by a policy, a usage error, or a handler
    /// that <see cref="IAnswersAtOnce"/>. Null when the handler has to run.
    /// </summary>
    public ChatMessage? Answer { get; }

    /// <summary>One of <see cref="CommandOutcome"/>'s values so far (<see cref="CommandOutcome.Ok"/> until the handler says otherwise).</summary>
    public string Outcome { get; }

    /// <summary>The verb as registered (for logs and the metric); null for an unknown one.</summary>
    public string? Verb => Handler?.Spec.Verb;

    /// <summary>
    /// The same turn, its answer already sent in the ack, carrying the delivery's replay key: what is left (its audit
    /// record) is written only if the key was never seen, in the same write that remembers it, so a replayed copy of the
    /// delivery leaves no second record.
    /// </summary>
    public CommandTurn AnsweredInTheAck(string replayKey) =>
        new(Request with { ReplayKey = replayKey }, Words, Handler, Arguments, Answer, Outcome);
}
