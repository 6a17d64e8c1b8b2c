using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Microsoft.Extensions.DependencyInjection;

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
            throw new UsageException($"There is no command `{CommandRouter.SlashCommand} {SlackText.InCode(verb)}`.");
        return Details(spec);
    }

    /// <summary>The list of commands never changes while the bot runs: built once.</summary>
    private ChatMessage? _overview;

    private static ChatMessage Overview(IReadOnlyList<CommandSpec> specs)
    {
        var lines = specs.Select(s => $"`{SlackText.Escape(s.Usage)}`  {SlackText.Escape(s.Summary)}").ToList();
        return new ChatMessage
        {
            Text = "SecureBase ops bot commands:\n" + string.Join('\n', lines),
            Blocks =
            [
                HeaderBlock.Of("SecureBase ops bot"),
                // One section holds at most 3,000 characters: the list takes as many as it needs, whole lines each.
                .. Sections(lines),
                ContextBlock.Markdown($"`{CommandRouter.SlashCommand} help &lt;command&gt;` shows options and examples."),
            ],
        };
    }

    private static IEnumerable<Block> Sections(IEnumerable<string> lines)
    {
        var section = new StringBuilder();
        foreach (var line in lines)
        {
            if (section.Length > 0 && section.Length + 1 + line.Length > SlackMessageLimits.MaxSectionText)
            {
                yield return SectionBlock.Markdown(section.ToString());
                section.Clear();
            }
            if (section.Length > 0) section.Append('\n');
            section.Append(line);
        }
        if (section.Length > 0) yield return SectionBlock.Markdown(section.ToString());
    }

    private static ChatMessage Details(CommandSpec spec)
    {
        var text = new StringBuilder();
        text.Append('`').Append(SlackText.Escape(spec.Usage)).AppendLine("`").AppendLine(SlackText.Escape(spec.Summary));
        if (spec.ChangesState) text.AppendLine("_Changes production: runs only in the ops channel, where the team sees it._");
        if (spec.Flags.Count > 0)
        {
            text.AppendLine().AppendLine("*Options*");
            foreach (var f in spec.Flags)
                text.Append("• `--").Append(f.Name).Append(f.TakesValue ? $" {SlackText.Escape(f.ValueHint ?? "value")}" : "").Append("`  ").AppendLine(SlackText.Escape(f.Description));
        }
        if (spec.Examples.Count > 0)
        {
            text.AppendLine().AppendLine("*Examples*");
            foreach (var e in spec.Examples) text.Append("• `").Append(SlackText.Escape(e)).AppendLine("`");
        }
        return new ChatMessage { Text = text.ToString(), Blocks = [SectionBlock.Markdown(text.ToString().TrimEnd())] };
    }
}
