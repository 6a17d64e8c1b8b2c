using Bot.Commands.Incidents.Commands;
using Bot.Commands.Incidents.Diagnostics;
using Bot.Integrations.PagerDuty;
using Bot.Commands.Routing;
using Bot.Commands.Buttons;
using Bot.Integrations.Slack;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Commands.Incidents;

public static class IncidentServiceCollectionExtensions
{
    /// <summary>
    /// PagerDuty incidents as Slack threads: the Incident and intake workflows, their activities (PagerDuty calls through
    /// <c>IPager</c>, the playbooks' diagnostics over the AWS clients), the webhook sink that replaces the default one,
    /// the reconciler, <see cref="EscalationOptions"/> (section <c>Escalation</c>) and <see cref="IncidentOptions"/>
    /// (section <c>Incidents</c>), both validated on start, and the commands incidents, incident and page. Needs the
    /// PagerDuty clients, the cloud commands' AWS clients and the Change workflow (its changes offer the rollback).
    /// </summary>
    public static IServiceCollection AddIncidentWorkflow(this IServiceCollection services)
    {
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IncidentOptions>().BindConfiguration(IncidentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IWorkflowDefinition>(Incident.Definition);
        services.AddSingleton<IWorkflowDefinition>(IncidentIntake.Definition);
        services.AddActivity<IncidentActionHandler>();
        services.AddActivity<DiagnoseIncidentHandler>();
        services.TryAddSingleton<DiagnosticMetrics>();
        services.TryAddSingleton<RecentDeploys>();
        services.TryAddSingleton<IncidentOpener>();
        services.TryAddSingleton<IncidentReconciler>();
        services.RemoveAll<IPagerDutyEventSink>();
        services.AddSingleton<IPagerDutyEventSink, IncidentEventSink>();
        services.AddCommand<IncidentsCommand>();
        services.AddCommand<IncidentCommand>();
        services.AddCommand<PageCommand>();
        return services;
    }
}
