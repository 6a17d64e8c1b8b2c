using System.Text.Json;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Incidents;

/// <summary>
/// The message shortcut <em>Add to incident timeline</em> (<see cref="CallbackId"/>): used on a message of an incident's thread
/// (or on its card), it adds the message's text to the incident's PagerDuty timeline as a note by the person who used it — the
/// same as <c>/sb note</c>, so it needs the responder role, works on resolved incidents too (for the postmortem) and shows in
/// the thread once PagerDuty has it (once, though PagerDuty's webhook tells of it again). On any other message it adds
/// nothing and says why.
/// </summary>
public sealed class AddToTimelineShortcut(WorkflowEngine engine, IAggregateStore store, IOutboxStore outbox) : IInteractionHandler
{
    public const string CallbackId = "add_to_incident_timeline";

    public IReadOnlyCollection<string> Ids { get; } = [CallbackId];

    public async Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        if (request.Message is not { } message || request.ChannelId is not { } channel)
        {
            await reply.RespondAsync(ChatMessage.EphemeralText("Add to incident timeline works on a message; nothing was added."), cancellationToken);
            return;
        }
        var incident = await IncidentReads.FindByThreadAsync(store, outbox, channel, message.ThreadTs ?? message.Ts, cancellationToken);
        if (incident is null)
        {
            await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of(Emoji("mag"), " That message is not in an incident's thread: ", Strong("Add to incident timeline"),
                " works on the messages of an incident's thread (and its card). Nothing was added; ", Code("/sb note <incident> \"…\""), " adds any text.")), cancellationToken);
            return;
        }
        var text = NoteText(message, request.User.UserId);
        if (text is null)
        {
            await reply.RespondAsync(ChatMessage.EphemeralText("That message has no text to add (a file or an image alone); nothing was added."), cancellationToken);
            return;
        }
        var outcome = await engine.FireAsync(WorkflowTrigger.For(Incident.Type, incident.Id, IncidentTrigger.AddNote, RoleGate.ActorOf(request.User)) with
        {
            RequestId = request.RequestId,
            // Slack's retries of one use of the shortcut share its action_ts: one note.
            IdempotencyKey = $"shortcut:{request.User.UserId}:{request.RequestId}",
            ArgumentsJson = JsonSerializer.Serialize(new { input = text }),
        }, cancellationToken);
        await reply.RespondAsync(ChatMessage.EphemeralText(outcome.IsTransitioned
            ? Line.Of(Emoji("hourglass_flowing_sand"), " Adding that message to the PagerDuty timeline of incident ", Value(incident.Label, 40),
                "; it shows in the thread once PagerDuty has it.")
            : Line.Of(outcome.Describe())), cancellationToken);
    }

    /// <summary>
    /// The note: the message's text, saying whose message it was when someone else wrote it, cut to the longest note taken from
    /// Slack (<see cref="Incident.MaxNoteText"/>); null when the message has no text.
    /// </summary>
    public static string? NoteText(ShortcutMessage message, string userId)
    {
        var text = message.Text.Trim();
        if (text.Length == 0) return null;
        if (message.AuthorId != userId) text = $"{text} (a message by {(message.AuthorId is { } author ? "@" + author : "a bot")} in the incident's Slack thread)";
        return text.Length <= Incident.MaxNoteText ? text : text[..(Incident.MaxNoteText - 1)] + "…";
    }
}
