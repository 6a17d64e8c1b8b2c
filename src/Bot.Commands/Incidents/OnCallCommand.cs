using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Incidents;

/// <summary>
/// <c>/sb oncall</c>: who is on call now on each level of the SecureBase escalation policy
/// (<c>PagerDuty__EscalationPolicyId</c>), from PagerDuty's <c>GET /oncalls</c>, with how long each level has
/// before the incident escalates (from the policy). Read-only; needs no role.
/// </summary>
/// <remarks>The client is resolved per call: a handler is a singleton, and a typed HTTP client must not be kept for ever.</remarks>
public sealed class OnCallCommand(IServiceProvider services) : ICommandHandler
{
    public const string Verb = "oncall";

    public CommandSpec Spec { get; } = new()
    {
        Verb = Verb,
        Summary = "Who is on call now for the SecureBase escalation policy, level by level (from PagerDuty).",
        Usage = "/sb oncall",
        MaxPositionals = 0,
        Examples = ["/sb oncall"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var pagerDuty = services.GetRequiredService<PagerDutyClient>();
        if (!pagerDuty.IsConfigured) throw PagerDutyErrors.NotConfigured("list the on-calls");
        var policyId = pagerDuty.EscalationPolicyId
            ?? throw new UserFacingException("PagerDuty__EscalationPolicyId is not set, so I do not know whose on-calls to show.");
        var policy = await pagerDuty.GetEscalationPolicyAsync(policyId, cancellationToken);
        var onCalls = await pagerDuty.ListOnCallsAsync(policyId, includeUsers: true, cancellationToken);
        await context.RespondEphemeralAsync(Render(policy, onCalls), cancellationToken);
    }

    internal static Line Render(PagerDutyEscalationPolicy policy, IReadOnlyList<PagerDutyOnCall> onCalls)
    {
        var text = new LineBuilder(Emoji("pager"), " On call now for ", Strong(Shown(policy.Name ?? policy.Summary ?? policy.Id)),
            " (PagerDuty escalation policy ", Value(policy.Id), "):");
        var byLevel = onCalls.GroupBy(o => o.EscalationLevel).ToDictionary(g => g.Key, g => g.ToList());
        var levels = Math.Max(policy.EscalationRules.Count, byLevel.Keys.DefaultIfEmpty(0).Max());
        if (levels == 0) return text.Add(" nobody (the policy has no levels).");
        for (var level = 1; level <= levels; level++)
        {
            var people = byLevel.TryGetValue(level, out var list)
                ? Line.Join(", ", list.Select(o => o.User).OfType<PagerDutyReference>().DistinctBy(u => u.Id).Select(Person))
                : "nobody";
            text.Add($"\n• Level {level}: ", people);
            if (level <= policy.EscalationRules.Count)
            {
                var minutes = policy.EscalationRules[level - 1].EscalationDelayInMinutes;
                text.Add(level < levels || policy.NumLoops > 0 ? $" — escalates after {Minutes(minutes)}" : " — last level");
            }
        }
        return text;
    }

    private static Line Person(PagerDutyReference user) =>
        Line.Of(Echo(user.Name ?? user.Summary ?? user.Id, 120), user.Email is { Length: > 0 } email ? Line.Of(" (", Echo(email, 120), ")") : null);

    private static string Minutes(int minutes) => minutes % 60 == 0 && minutes >= 60 ? $"{minutes / 60} h" : $"{minutes} min";

    private static string Shown(string text) => Echo(text, 120).Text;
}
