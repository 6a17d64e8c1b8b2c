using Bot.Workflows.Engine;
using Bot.Workflows.Recovery.Activities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Workflows.Recovery;

public static class RecoveryServiceCollectionExtensions
{
    /// <summary>
    /// The data changes' workflows (restore and drill jobs, clean-ups), their activities, and <see cref="RecoveryOptions"/>
    /// (section <c>Recovery</c>, validated on start).
    /// </summary>
    public static IServiceCollection AddRecoveryWorkflows(this IServiceCollection services)
    {
        services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(RestoreJob.Definition));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(CleanupJob.Definition));
        services.AddActivity<PreflightOperationHandler>();
        services.AddActivity<ApplyOperationHandler>();
        services.AddActivity<StartRestoresHandler>();
        services.AddActivity<PollRestoresHandler>();
        services.AddActivity<DeleteDrillTablesHandler>();
        services.AddActivity<DeleteOldSessionsHandler>();
        return services;
    }
}
