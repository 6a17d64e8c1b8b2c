using Bot.Commands.Access;
using Bot.Integrations.Slack;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// Turns a checked request into a saved change: fills in who asked, where its card goes (always the ops channel),
/// when it expires and how it is watched, saves it (once per request, however often the request arrives), starts a
/// non-production change at once, and tells the requester where to follow it.
/// </summary>
public sealed class ChangeRequester(
    WorkflowEngine engine,
    IOptionsMonitor<SlackOptions> slack,
    IOptionsMonitor<ChangeOptions> options,
    ICloud cloud,
    IPager pager,
    TimeProvider time)
{
    /// <summary>Checks an incident named with <c>--incident</c>: true when it is open; a clear answer when it is not or cannot be checked.</summary>
    public async Task<bool> IncidentIsOpenAsync(string incidentId, CancellationToken cancellationToken)
    {
        try
        {
            var incident = await pager.GetIncidentAsync(incidentId, cancellationToken);
            if (incident is null) throw new UserFacingException(Line.Of(Emoji("mag"), " PagerDuty has no incident ", Code(incidentId), "."));
            return incident.IsOpen;
        }
        catch (PortException e)
        {
            throw new UserFacingException(Line.Of(Emoji("warning"), " I could not check incident ", Code(incidentId), $" ({e.Message}). Nothing was requested."));
        }
    }

    public Task SubmitAsync(CommandContext context, ChangeData data, CancellationToken cancellationToken) =>
        SubmitAsync(context.User, context.Request.RequestId, context.Reply, data, cancellationToken);

    /// <summary>Saves the change requested by <paramref name="user"/> (once per <paramref name="requestId"/>) and answers through <paramref name="reply"/>.</summary>
    public async Task SubmitAsync(Actor user, string requestId, IReplyChannel reply, ChangeData data, CancellationToken cancellationToken)
    {
        var channel = slack.CurrentValue.OpsChannelId;
        if (string.IsNullOrWhiteSpace(channel))
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " Changes need ", Code("Slack__OpsChannelId"),
                " (the #securebase-ops channel) so the team sees every one; it is not set. Nothing was requested."));

        var o = options.CurrentValue;
        var requester = RoleGate.ActorOf(user);
        data.Channel = channel;
        data.RequesterId = requester.UserId;
        data.RequesterName = requester.UserName;
        data.RequesterKind = requester.Kind;
        data.Rehearsal = cloud.IsRehearsal;
        data.ExpiresAt = time.GetUtcNow() + o.ExpiryOf(data.Category);
        data.VerifyWindow = o.VerifyWindow;
        data.VerifyInterval = o.VerifyInterval;
        data.ErrorThreshold = o.ErrorThreshold;
        data.RollbackWindow = o.RollbackWindow;

        var (id, created) = await CreateAsync(data, requester, requestId, cancellationToken);
        switch (created.Kind)
        {
            case FireOutcomeKind.Duplicate:
                return; // the same request arrived again: it was handled the first time
            case not FireOutcomeKind.Transitioned:
                throw new UserFacingException(Line.Of(Emoji("x"), " The change could not be saved: ", created.Describe()));
        }

        if (!string.Equals(data.Spec.Environment, ChangeTarget.Production, StringComparison.OrdinalIgnoreCase))
        {
            await engine.FireAsync(WorkflowTrigger.For(Change.Type, id, ChangeTrigger.AutoApprove, WorkflowActor.Bot) with
            {
                Source = TriggerSource.Automatic,
                IdempotencyKey = $"change-start:{id}",
                RequestId = requestId,
            }, cancellationToken);
            await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of(Emoji("rocket"), " Change ", Code(id), $" ({data.Spec.Describe()}) is running in {data.Spec.Environment} without approval; its card in ",
                Channel(channel), " shows how it goes.")), cancellationToken);
            return;
        }

        var needs = string.Join(" and ", ApprovalPolicy.Missing(data, []));
        var breakGlass = data.Category == ChangeCategory.Emergency && data.IncidentVerifiedOpen
            ? Line.Of(" If nobody can approve in time, the card's ", Strong("Run alone (break-glass)"), " button runs it with you alone; it stays unreviewed until an approver reviews it.")
            : null;
        await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of(
            Emoji("memo"), " Change ", Code(id), $" requested: {data.Spec.Describe()}. It needs the approval of {needs} (not you) before {data.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC; the card is in ",
            Channel(channel), ".", breakGlass)),
            cancellationToken);
    }

    private async Task<(string Id, FireOutcome Outcome)> CreateAsync(ChangeData data, WorkflowActor requester, string requestId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var id = ChangeIds.New(time.GetUtcNow());
            var outcome = await engine.CreateAsync(Change.Request(id, data), requester, requestId, attempt == 0 ? $"change-request:{requestId}" : null, cancellationToken);
            if (outcome.Kind != FireOutcomeKind.Refused || attempt >= 3) return (id, outcome);
        }
    }
}
