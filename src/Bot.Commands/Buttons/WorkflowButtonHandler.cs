using System.Text.Json;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Buttons;

/// <summary>
/// Every workflow button and the form a button may ask for: maps the click to a typed trigger of the right aggregate,
/// fired as the person who clicked, with the card's version (an outdated card changes nothing and the clicker alone is
/// told the state now) and an idempotency key from the user and the click's <c>action_ts</c> (Slack's retries and
/// double clicks are one trigger). A successful click answers nothing: the card itself is edited in place.
/// </summary>
public sealed class WorkflowButtonHandler(WorkflowEngine engine, IOptionsMonitor<SlackOptions> slack, ILogger<WorkflowButtonHandler> logger) : IInteractionHandler
{
    /// <summary>The <c>callback_id</c> of the form a button opens when it asks for text (e.g. a rejection reason).</summary>
    public const string InputCallbackId = "workflow.input";
    public const string InputBlockId = "input";
    public const string InputActionId = "text";
    public const int MaxInputLength = 1000;

    public IReadOnlyCollection<string> Ids { get; } = engine.Registry.Definitions
        .SelectMany(d => d.Triggers.Select(t => ButtonPayload.ActionId(d.AggregateType, t)))
        .Append(InputCallbackId)
        .ToList();

    public async Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        var fromForm = request.Type == InteractionRequest.ViewSubmission;
        var payload = ButtonPayload.TryParse(fromForm ? request.PrivateMetadata : request.Value);
        if (payload is null
            || !engine.Registry.Knows(payload.AggregateType, payload.Trigger)
            || (!fromForm && request.Id != ButtonPayload.ActionId(payload.AggregateType, payload.Trigger)))
        {
            logger.LogWarning("Workflow interaction {Id} from {User} carried no valid payload", request.Id, request.User.UserId);
            await reply.RespondAsync(ChatMessage.EphemeralText("That button is not valid any more. Nothing was changed."), cancellationToken);
            return;
        }

        // Workflow cards live in the ops channel, where the team sees every step; a click from anywhere else changes nothing.
        if (!fromForm && request.Transport == Transport.Slack && slack.CurrentValue.OpsChannelId is { Length: > 0 } ops && request.ChannelId != ops)
        {
            logger.LogWarning("Workflow click {Id} from {User} arrived from channel {Channel}, not the ops channel", request.Id, request.User.UserId, request.ChannelId);
            await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of("Workflow buttons work only in ", Spans.Channel(ops), ", where the team sees them. Nothing was changed.")), cancellationToken);
            return;
        }

        var input = (fromForm ? request.ViewValues.GetValueOrDefault($"{InputBlockId}.{InputActionId}") : request.InputText)?.Trim();
        if (payload.AskFor is { } question && string.IsNullOrEmpty(input))
        {
            if (!fromForm && await reply.OpenFormAsync(Form(payload, question), cancellationToken)) return;
            await reply.RespondAsync(ChatMessage.EphemeralText($"This button asks for {question} first; nothing was changed."), cancellationToken);
            return;
        }
        if (input is { Length: > MaxInputLength }) input = input[..MaxInputLength];

        var actor = Access.RoleGate.ActorOf(request.User);
        var outcome = await engine.FireAsync(new WorkflowTrigger(payload.AggregateType, payload.AggregateId, payload.Trigger, actor)
        {
            CardVersion = payload.Version,
            IdempotencyKey = $"interaction:{request.User.UserId}:{request.Id}:{request.RequestId}",
            RequestId = request.RequestId,
            ArgumentsJson = string.IsNullOrEmpty(input) ? null : JsonSerializer.Serialize(new { input }),
        }, cancellationToken);

        if (outcome.Kind != FireOutcomeKind.Transitioned)
            await reply.RespondAsync(ChatMessage.EphemeralText(outcome.Describe()), cancellationToken);
    }

    /// <summary>The form that asks for the text; it carries the button's payload back in <c>private_metadata</c>.</summary>
    public static Form Form(ButtonPayload payload, string question) => new()
    {
        CallbackId = InputCallbackId,
        Title = Shorten($"{payload.Trigger} {payload.AggregateId}", 24),
        Submit = payload.Trigger,
        Close = "Cancel",
        PrivateMetadata = payload.ToJson(),
        Fields =
        [
            new TextField(InputBlockId, Shorten(char.ToUpperInvariant(question[0]) + question[1..], 2000)) { ActionId = InputActionId, Multiline = true },
        ],
    };

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
