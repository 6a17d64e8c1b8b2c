using Bot.Commands.Routing;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Incidents;

/// <summary>
/// <c>/sb incident &lt;id|#number&gt;</c>: one incident's card as it stands (its buttons work: they carry the card's version)
/// and the last lines of its timeline. Read-only.
/// </summary>
public sealed class IncidentCommand(IAggregateStore store, TimeProvider time) : ICommandHandler
{
    public const int TimelineLines = 10;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "incident",
        Summary = "One incident: its card (status, level, deadline, buttons) and its latest timeline.",
        Usage = "/sb incident <id|#number>",
        MaxPositionals = 1,
        Examples = ["/sb incident PT4KHLK", "/sb incident #1234"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var wanted = context.Arguments.Positional(0)
                     ?? throw new UsageException(Line.Of("Which incident? Give its PagerDuty id (e.g. ", Code("PT4KHLK"), ") or number (", Code("#1234"), ")."));
        var incident = await IncidentReads.FindAsync(store, wanted, cancellationToken)
                       ?? throw new UserFacingException(Line.Of(Emoji("mag"), " I follow no incident ", Value(wanted), ". ", Code("/sb incidents"), " lists the open ones."));
        await context.RespondAsync(Render(incident, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>The incident as it stands at <paramref name="now"/>: its countdown is worked out then, not when the card was last edited.</summary>
    internal static ChatMessage Render(Incident incident, DateTimeOffset now)
    {
        // An incident with a thread checks clicks against its card's version; one without (a storm's) against its own.
        var version = incident.HasThread ? incident.CardVersion : incident.Version;
        var card = incident.DescribeCardAt(now) with { Ref = new CardRef(Incident.Type, incident.Id, version) };
        var timeline = incident.Data.Log.TakeLast(TimelineLines)
            .Select(l => Line.Of($"{l.At.UtcDateTime:HH:mm} ", Echo(l.Text, 280))).ToList();
        var blocks = new List<MessageBlock> { new CardBlock(card) };
        if (timeline.Count > 0) blocks.Add(new TextBlock(Line.Of(Strong("Latest in its timeline (UTC)"), "\n", Line.Join("\n", timeline))));
        if (incident.Data.Quiet) blocks.Add(new NoteBlock("It arrived in a storm, so it has no thread of its own; the storm's digest lists it."));
        return new ChatMessage { Text = card.ToPlainText(), Blocks = blocks, Ephemeral = true };
    }
}
