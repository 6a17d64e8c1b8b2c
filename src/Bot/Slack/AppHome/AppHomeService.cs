using Bot.Workflows.Incidents;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Integrations.Slack.WebApi;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.AppHome;

/// <summary>
/// Builds and publishes (<c>views.publish</c>) a person's App Home tab: open incidents, the changes waiting for their
/// approval (pending, requested by someone else, and they hold the approver role), their recent changes, and who is on
/// call now (PagerDuty). Workflows are read from the store and described by their own cards.
/// </summary>
public sealed class AppHomeService(IAggregateStore store, WorkflowRegistry registry, IDirectory directory, IServiceProvider services, TimeProvider time,
    ILogger<AppHomeService> logger)
{
    public const int RecentChanges = 5;

    /// <summary>How many of the most recently changed workflows of each kind are looked at.</summary>
    public const int Window = 200;

    public async Task PublishAsync(string userId, CancellationToken cancellationToken)
    {
        var content = await BuildAsync(userId, cancellationToken);
        await services.GetRequiredService<SlackWebApiClient>().PublishHomeAsync(userId, AppHomeView.Build(content), cancellationToken);
    }

    public async Task<AppHomeContent> BuildAsync(string userId, CancellationToken cancellationToken)
    {
        var changes = (await store.ListAggregatesAsync(Change.Type, null, Window, cancellationToken))
            .Select(r => Restore(r) as Change).OfType<Change>().ToList();
        // Every open incident, not only those among the most recently changed.
        var incidents = await store.ListAggregatesInStatesAsync(Incident.Type, IncidentLifecycle.OpenStates, cancellationToken);
        var approver = await HoldsApproverAsync(userId, cancellationToken);

        return new AppHomeContent
        {
            UserId = userId,
            At = time.GetUtcNow(),
            OpenIncidents = incidents.Select(Describe).ToList(),
            WaitingForMyApproval = approver
                ? changes.Where(c => c.CurrentState == ChangeState.PendingApproval && c.Data.RequesterId != userId && c.Data.Approvals.All(a => a.UserId != userId))
                    .Select(c => Describe(c)).ToList()
                : [],
            MyRecentChanges = changes.Where(c => c.Data.RequesterId == userId).Take(RecentChanges).Select(c => Describe(c)).ToList(),
            OnCall = await OnCallAsync(cancellationToken),
        };
    }

    private IWorkflow? Restore(AggregateRecord record) => registry.TryGet(record.AggregateType, out var definition) ? definition.Restore(record) : null;

    /// <summary>A workflow's card in one line (its own words, escaped), or its type, id and state when it has none.</summary>
    private string Describe(AggregateRecord record) => Restore(record) is { } workflow ? Describe(workflow) : $"{SlackText.Code(record.AggregateId)} {SlackText.Escape(record.State)}";

    private static string Describe(IWorkflow workflow) =>
        $"{SlackText.Code(workflow.Id)} " + SlackText.Echo(workflow.RenderCard()?.ToPlainText() ?? workflow.State, 200);

    private async Task<bool> HoldsApproverAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            return (await directory.RolesOfAsync(new WorkflowActor(userId, userId), cancellationToken)).Contains(Role.Approver);
        }
        catch (DirectoryUnavailableException e)
        {
            logger.LogWarning("Roles of {User} unknown for the App Home: {Error}", userId, e.Message);
            return false;
        }
    }

    private async Task<IReadOnlyList<string>> OnCallAsync(CancellationToken cancellationToken)
    {
        var pagerDuty = services.GetService<PagerDutyClient>();
        if (pagerDuty is not { IsConfigured: true }) return ["_PagerDuty is not configured._"];
        if (pagerDuty.EscalationPolicyId is not { } policy) return ["_PagerDuty__EscalationPolicyId is not set._"];
        try
        {
            var onCalls = await pagerDuty.ListOnCallsAsync(policy, includeUsers: true, cancellationToken);
            return onCalls.GroupBy(o => o.EscalationLevel).OrderBy(g => g.Key)
                .Select(g => $"Level {g.Key}: " + string.Join(", ", g.Select(o => o.User).OfType<PagerDutyReference>().DistinctBy(u => u.Id)
                    .Select(u => SlackText.Echo(u.Name ?? u.Summary ?? u.Id, 80))))
                .ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("On-calls for the App Home could not be read: {Error}", e.GetType().Name);
            return ["_PagerDuty did not answer; try again later._"];
        }
    }
}
