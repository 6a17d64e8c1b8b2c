using Bot.Commands.Access;
using Bot.Integrations.Slack;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>
/// Turns a checked request into a saved change: the rules every request meets first (no Standard or Major change during a
/// freeze; one change per function at a time), who asked, where its card goes (always the ops channel), whom it asks,
/// when it expires and how it is watched; saves it (once per request, however often the request arrives), starts a
/// non-production change at once, and tells the requester where to follow it. Refusals are audited.
/// </summary>
public sealed class ChangeRequester(
    WorkflowEngine engine,
    ChangeReader changes,
    ChangeRefusals refusals,
    IOptionsMonitor<SlackOptions> slack,
    IOptionsMonitor<ChangeOptions> options,
    IOptionsMonitor<RbacOptions> rbac,
    ICloud cloud,
    IPager pager,
    TimeProvider time)
{
    /// <summary>How far back a change may still be in flight (longer than the longest expiry).</summary>
    public static readonly TimeSpan InFlightLookBack = TimeSpan.FromDays(31);
    public const int MaxChangesRead = 500;

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

    /// <summary>Runs a change command's work; a refusal by one of the rules is put on the audit trail before it is answered.</summary>
    public Task AuditedAsync(CommandContext context, Func<Task> request, CancellationToken cancellationToken) =>
        refusals.AuditedAsync(context.User, context.Request.RequestId, $"{CommandRouter.SlashCommand} {context.Request.Text.Split(' ', 2)[0]}", request, cancellationToken);

    /// <summary>The same, for a request that came from elsewhere (the change form).</summary>
    public Task AuditedAsync(Actor user, string requestId, string what, Func<Task> request, CancellationToken cancellationToken) =>
        refusals.AuditedAsync(user, requestId, what, request, cancellationToken);

    public Task SubmitAsync(CommandContext context, ChangeData data, CancellationToken cancellationToken) =>
        SubmitAsync(context.User, context.Request.RequestId, context.Reply, data, cancellationToken);

    /// <summary>Saves the change requested by <paramref name="user"/> (once per <paramref name="requestId"/>) and answers through <paramref name="reply"/>.</summary>
    public async Task SubmitAsync(Actor user, string requestId, IReplyChannel reply, ChangeData data, CancellationToken cancellationToken)
    {
        var channel = slack.CurrentValue.OpsChannelId;
        if (string.IsNullOrWhiteSpace(channel))
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " Changes need ", Code("Slack__OpsChannelId"),
                " (the #securebase-ops channel) so the team sees every one; it is not set. Nothing was requested."));

        if (await CheckRulesAsync(user, requestId, data, cancellationToken)) return; // this very request, arriving again

        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        var requester = RoleGate.ActorOf(user);
        data.Channel = channel;
        data.RequesterId = requester.UserId;
        data.RequesterName = requester.UserName;
        data.RequesterKind = requester.Kind;
        data.Rehearsal = cloud.IsRehearsal;
        data.ExpiresAt = now + o.ExpiryOf(data.Category);
        data.VerifyWindow = o.VerifyWindow;
        data.VerifyInterval = o.VerifyInterval;
        data.ErrorThreshold = o.ErrorThreshold;
        data.RollbackWindow = o.RollbackWindow;
        data.MetricLag = o.MetricLag;
        data.MetricPeriod = o.MetricPeriod;
        data.MinInvocations = o.MinInvocations;
        data.RollbackAlarms = [.. o.RollbackAlarms.Select(a => a.Trim())];
        data.Contacts = Contacts();
        data.RequestId = requestId;

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
            ? Line.Of(" If nobody can approve in time, the card's ", Strong("Run alone (break-glass)"),
                " button runs it with you alone — after PagerDuty confirms the incident is still open, on a SecureBase service, and not opened by you; it stays unreviewed until an approver reviews it.")
            : null;
        var people = ApprovalPolicy.Needed(data) > 1 ? $" ({ApprovalPolicy.Needed(data)} different people, none of them you)" : " (not you)";
        await reply.RespondAsync(ChatMessage.EphemeralText(Line.Of(
            Emoji("memo"), " Change ", Code(id), $" requested: {data.Spec.Describe()}. It needs the approval of {needs}{people} before {data.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC; the card is in ",
            Channel(channel), ".", data.FreezeNote is { } freeze ? Line.Of(" ", Emoji("snowflake"), " ", freeze, ".") : null, breakGlass)),
            cancellationToken);
    }

    /// <summary>
    /// The rules every request meets before anything is read or published for it: a person Slack vouched for (not a shell
    /// identity) outside the rehearsal account, no freeze for its category, no other change of its function in flight.
    /// Call it first with what is known (category, function); <see cref="SubmitAsync"/> calls it again. True when the
    /// change in flight is this very request's own (it arrived again).
    /// </summary>
    public async Task<bool> CheckRulesAsync(Actor user, string requestId, ChangeData data, CancellationToken cancellationToken)
    {
        // A shell identity is whoever typed "as NAME": nobody Slack vouched for. As a requester it could be anyone, and
        // the real person could then approve "someone else's" change.
        if (user.IsShellIdentity && !cloud.IsRehearsal)
            throw new ChangeRefusedException("shell-identity", Line.Of(Emoji("no_entry"), " The local shell cannot request production changes: its identities (",
                Code("as NAME"), ") are not people Slack vouched for, so the two-person rule could not know who asked. Request it in Slack. Nothing was requested."));
        var now = time.GetUtcNow();
        CheckFreeze(data, options.CurrentValue.FreezeCalendar(), now);
        return await CheckOneAtATimeAsync(data, requestId, now, cancellationToken);
    }

    /// <summary>No Standard or Major change during a freeze window; an Emergency one is allowed and its card says so.</summary>
    private static void CheckFreeze(ChangeData data, FreezeCalendar freezes, DateTimeOffset now)
    {
        if (freezes.At(now) is not { } freeze) return;
        if (data.Category != ChangeCategory.Emergency)
            throw new ChangeRefusedException("freeze", Line.Of(Emoji("snowflake"), " Changes are frozen: ", freeze.Describe(), ". A ", data.Category.ToString(),
                " change is refused until ", Time(freeze.To), "; only an Emergency change (", Code("--category emergency --reason \"…\""), ") runs during a freeze, and its card says so. Nothing was requested."));
        data.FreezeNote = $"requested during a freeze — {freeze.Describe()}; allowed because it is an Emergency change";
    }

    /// <summary>One change per function at a time: a second one is refused with a pointer to the one in flight; true when the one in flight is this request's own.</summary>
    private async Task<bool> CheckOneAtATimeAsync(ChangeData data, string requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = await changes.RecentAsync(now - InFlightLookBack, MaxChangesRead, cancellationToken);
        var busy = recent.FirstOrDefault(c => c.InFlight && c.Data.Spec.Function == data.Spec.Function
                                              && !(c.CurrentState == ChangeState.PendingApproval && c.Data.ExpiresAt <= now));
        if (busy is null) return false;
        if (busy.Data.RequestId == requestId) return true;
        var how = busy.CurrentState == ChangeState.PendingApproval
            ? Line.Of("it waits for approval until ", Time(busy.Data.ExpiresAt), "; @", busy.Data.RequesterName, " can cancel it, or an approver reject it")
            : Line.Of("it is ", busy.CurrentState.ToString(), "; wait until it ends (its card shows how it goes)");
        throw new ChangeRefusedException("one-change-per-function", Line.Of(Emoji("no_entry"), " Change ", Code(busy.Id), " (", busy.Data.Spec.Describe(), ", by @", busy.Data.RequesterName,
            ") is still in flight for ", Code(data.Spec.Function), ": ", how, ". One change per function at a time, so each is checked against the state the other left. ",
            Code($"/sb change {busy.Id}"), " shows it. Nothing was requested."));
    }

    /// <summary>Whom the card asks: the configured people and user groups of each role a change can need.</summary>
    private Dictionary<string, RoleContacts> Contacts()
    {
        var contacts = new Dictionary<string, RoleContacts>(StringComparer.Ordinal);
        foreach (var role in new[] { Role.Approver, Role.TechLead, Role.OpsManager, Role.Security })
            if (rbac.CurrentValue.Roles.TryGetValue(role, out var members) && (members.Users.Count > 0 || members.Groups.Count > 0))
                contacts[role] = new RoleContacts { Users = [.. members.Users], Groups = [.. members.Groups] };
        return contacts;
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
