using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.Slack;
using Bot.Workflows.Engine;
using Bot.Workflows.Handoffs;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Handoffs;

/// <summary>
/// Looks at who the pager has on call for the first level of the SecureBase policy (<c>PagerDuty__EscalationPolicyId</c>) and,
/// when it changed since the last handoff, saves a <see cref="Handoff"/>: posted to the ops channel with what the incoming
/// engineer takes over, or only noted when it is the bot's first look or the shift began more than
/// <see cref="HandoffOptions.LateAfter"/> before the bot saw it. Safe on several instances: a handoff's id comes from the shift
/// (the pager's start of it, or the handoff it follows), so two instances that see the same change save it once.
/// </summary>
/// <remarks>The PagerDuty client is resolved per run: the watcher is a singleton, and a typed HTTP client must not be kept for ever.</remarks>
public sealed class HandoffWatcher(IServiceProvider services, WorkflowEngine engine, IAggregateStore store, HandoffSnapshotReader snapshots, IUserProfiles profiles,
    IOptionsMonitor<IncidentOptions> incidents, IOptionsMonitor<EscalationOptions> escalation, IOptionsMonitor<SlackOptions> slack, TimeProvider time,
    ILogger<HandoffWatcher> logger)
{
    public static readonly WorkflowActor PagerDuty = new("pagerduty-oncall", "PagerDuty (on-call)", ActorKind.External);

    /// <summary>How many recent handoffs are read to find the latest one.</summary>
    public const int Recent = 50;

    /// <summary>One look; the handoff it saved (posted or noted), or null when nothing changed or handoffs are off.</summary>
    public async Task<Handoff?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = incidents.CurrentValue.Handoff;
        var channel = slack.CurrentValue.OpsChannelId?.Trim() ?? "";
        var pagerDuty = services.GetRequiredService<PagerDutyClient>();
        if (options.CheckEvery <= TimeSpan.Zero || !pagerDuty.IsConfigured || pagerDuty.EscalationPolicyId is not { Length: > 0 } policyId || channel.Length == 0) return null;

        var onCalls = await pagerDuty.ListOnCallsAsync(policyId, includeUsers: true, cancellationToken);
        // The level's most recent shift: with several on the first level, the one who came on last is the incoming engineer.
        if (onCalls.Where(o => o.EscalationLevel == 1 && o.User is { Id.Length: > 0 }).OrderByDescending(o => o.Start ?? DateTimeOffset.MinValue).FirstOrDefault() is not { } first)
            return null;
        var latest = await LatestAsync(policyId, cancellationToken);
        if (latest?.Data.Incoming.PagerId == first.User!.Id) return null;

        var now = time.GetUtcNow();
        var id = $"{policyId}/{first.User.Id}/{(first.Start is { } start ? start.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) : "after-" + (latest?.Id.Replace('/', '-') ?? "none"))}";
        var levels = escalation.CurrentValue.Resolved();
        var next = onCalls.Where(o => o.EscalationLevel == 2 && o.User is not null).OrderByDescending(o => o.Start ?? DateTimeOffset.MinValue).FirstOrDefault();
        var data = new HandoffData
        {
            Channel = channel,
            Policy = policyId,
            LevelName = $"level 1 ({levels[0].Name})",
            Outgoing = latest?.Data.Incoming,
            Incoming = await PersonAsync(first.User, cancellationToken),
            ShiftStart = first.Start ?? now,
            ClaimWithin = options.ClaimWithin,
            NextLevelName = levels.Count > 1 ? levels[1].Name : "the next level",
            NextLevelNotify = levels.Count > 1 ? levels[1].Notify : "",
            NextLevelOnCall = next?.User is { } nextUser ? await PersonAsync(nextUser, cancellationToken) : null,
        };
        Handoff handoff;
        if (latest is null) handoff = Handoff.Note(id, data, "the bot's first look at the on-call");
        else if (now - data.ShiftStart > options.LateAfter)
            handoff = Handoff.Note(id, data, $"the shift began at {data.ShiftStart.UtcDateTime:yyyy-MM-dd HH:mm} UTC, more than {Minutes(options.LateAfter)} before the bot saw it");
        else
        {
            data.Policy = (await pagerDuty.GetEscalationPolicyAsync(policyId, cancellationToken)) is { } policy ? policy.Name ?? policy.Summary ?? policyId : policyId;
            data.Snapshot = await snapshots.ReadAsync(cancellationToken);
            handoff = Handoff.Post(id, data);
        }
        var outcome = await engine.CreateAsync(handoff, PagerDuty, $"handoff:{id}", $"handoff:{id}", cancellationToken);
        logger.LogInformation("On-call for level 1 of {Policy}: {Outgoing} → {Incoming}; handoff {Id} {State} ({Outcome})", policyId, data.Outgoing?.Name ?? "(unknown)",
            data.Incoming.Name, id, handoff.CurrentState, outcome.Kind);
        return outcome.IsTransitioned ? handoff : null;
    }

    /// <summary>The handoff of the most recent shift the bot knows of, for <paramref name="policyId"/>.</summary>
    private async Task<Handoff?> LatestAsync(string policyId, CancellationToken cancellationToken) =>
        (await store.ListAggregatesAsync(Handoff.Type, null, Recent, cancellationToken))
        .Select(r => (Handoff)Handoff.Definition.Restore(r))
        .Where(h => h.Id.StartsWith(policyId + "/", StringComparison.Ordinal))
        .OrderByDescending(h => h.Data.ShiftStart).ThenByDescending(h => h.Version)
        .FirstOrDefault();

    /// <summary>A pager user as the handoff names them, with their chat user id found by their e-mail (none when it cannot be).</summary>
    private async Task<HandoffPerson> PersonAsync(PagerDutyReference user, CancellationToken cancellationToken)
    {
        string? slackId = null;
        if (user.Email is { Length: > 0 } email)
        {
            try
            {
                slackId = await profiles.UserIdOfAsync(email, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Slack could not be asked who {Email} is; the handoff names them without a mention", email);
            }
        }
        return new HandoffPerson(user.Name ?? user.DisplayName, user.Email, slackId, user.Id);
    }

    private static string Minutes(TimeSpan span) => Bot.Workflows.Incidents.Incident.Minutes(span);
}
