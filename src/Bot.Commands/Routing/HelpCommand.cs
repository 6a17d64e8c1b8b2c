using Bot.Workflows.Messages;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Routing;

/// <summary><c>/sb help [verb]</c>, generated from the registered handlers' specs; ready at once (no I/O), so Slack gets it in the ack.</summary>
public sealed class HelpCommand(IServiceProvider services) : ICommandHandler, IAnswersAtOnce
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = CommandRouter.HelpVerb,
        Summary = "List the commands, or show how to use one.",
        Usage = "/sb help [command]",
        MaxPositionals = 1,
        Examples = ["/sb help", "/sb help logs"],
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.RespondAsync(Answer(context.Request, context.Arguments), cancellationToken);

    public ChatMessage Answer(CommandRequest request, ParsedArguments arguments)
    {
        // Resolved lazily: the router depends on every handler, this one included.
        var router = services.GetRequiredService<CommandRouter>();
        var verb = arguments.Positional(0);
        if (verb is null) return _overview ??= Overview(router.Specs);
        if (!router.TryGetSpec(verb, out var spec))
            throw new UsageException(Line.Of("There is no command ", Code($"{CommandRouter.SlashCommand} {Value(verb).Text}"), "."));
        return Details(spec);
    }

    /// <summary>The list of commands never changes while the bot runs: built once.</summary>
    private ChatMessage? _overview;

    private static ChatMessage Overview(IReadOnlyList<CommandSpec> specs)
    {
        var lines = specs.Select(s => Line.Of(Code(s.Usage), "  ", s.Summary)).ToList();
        return new ChatMessage
        {
            Text = Line.Of("SecureBase ops bot commands:\n", Line.Join("\n", lines)),
            Blocks =
            [
                new HeadingBlock("SecureBase ops bot"),
                // A long list: Slack spreads it over as many sections as it needs.
                new LinesBlock(lines),
                new NoteBlock(Line.Of(Code($"{CommandRouter.SlashCommand} help <command>"), " shows options and examples.")),
            ],
        };
    }

    private static ChatMessage Details(CommandSpec spec)
    {
        var text = new LineBuilder(Code(spec.Usage), "\n", spec.Summary, "\n");
        if (spec.ChangesState) text.AddLine(Emphasis("Changes production: runs only in the ops channel, where the team sees it."));
        if (spec.Flags.Count > 0)
        {
            text.Add("\n").AddLine(Strong("Options"));
            foreach (var f in spec.Flags)
                text.AddLine("• ", Code($"--{f.Name}{(f.TakesValue ? $" {f.ValueHint ?? "value"}" : "")}"), "  ", f.Description);
        }
        if (spec.Examples.Count > 0)
        {
            text.Add("\n").AddLine(Strong("Examples"));
            foreach (var e in spec.Examples) text.AddLine("• ", Code(e));
        }
        var answer = text.ToLine();
        return new ChatMessage { Text = answer, Blocks = [new TextBlock(answer.TrimEnd())] };
    }
}
