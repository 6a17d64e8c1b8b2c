using Bot.Commands.Routing;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Workflows.Handoffs;
using Bot.Workflows.Messages;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Handoffs;

/// <summary>
/// <c>/sb handoff</c>: the handoff as it stands now, on demand — who the pager has on call for the first two levels of the
/// SecureBase policy, the open incidents and their state, the changes being verified, the unreviewed break-glass changes and
/// production's alarms in ALARM. Read-only; needs no role. The handoff the bot posts at each shift change shows the same.
/// </summary>
public sealed class HandoffCommand(IServiceProvider services, HandoffSnapshotReader snapshots) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "handoff",
        Summary = "The on-call handoff now: who is on call, open incidents, changes being verified, unreviewed break-glass, alarms in ALARM.",
        Usage = "/sb handoff",
        MaxPositionals = 0,
        Examples = ["/sb handoff"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var snapshot = snapshots.ReadAsync(cancellationToken);
        var onCall = OnCallAsync(cancellationToken);
        var text = new LineBuilder(Emoji("arrows_counterclockwise"), " ", Strong("On-call handoff now"), ": ", await onCall);
        foreach (var line in Handoff.Describe(await snapshot)) text.Add("\n", line);
        await context.RespondEphemeralAsync(text, cancellationToken);
    }

    /// <summary>"level 1 Alice Chen, level 2 Bob Okafor.", or why the pager's on-calls are not shown.</summary>
    private async Task<Line> OnCallAsync(CancellationToken cancellationToken)
    {
        var pagerDuty = services.GetRequiredService<PagerDutyClient>();
        if (!pagerDuty.IsConfigured || pagerDuty.EscalationPolicyId is not { Length: > 0 } policyId)
            return Line.Of("who is on call is not known (PagerDuty__ApiToken and PagerDuty__EscalationPolicyId name the policy).");
        try
        {
            var onCalls = await pagerDuty.ListOnCallsAsync(policyId, includeUsers: true, cancellationToken);
            var levels = onCalls.Where(o => o.EscalationLevel is 1 or 2 && o.User is not null).GroupBy(o => o.EscalationLevel).OrderBy(g => g.Key)
                .Select(g => Line.Of($"level {g.Key} ", Line.Join(", ", g.Select(o => o.User!).DistinctBy(u => u.Id).Select(Person)))).ToList();
            return levels.Count == 0 ? Line.Of("nobody is on call for the policy's first levels.") : Line.Of(Line.Join(", ", levels), ".");
        }
        catch (PagerDutyApiException e)
        {
            return Line.Of("PagerDuty could not be asked who is on call (", Echo(e.Message, 200), ").");
        }
    }

    private static Line Person(PagerDutyReference user) => Line.Of(Echo(user.Name ?? user.DisplayName, 80));
}
