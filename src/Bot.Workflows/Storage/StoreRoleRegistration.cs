using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Workflows.Storage;

/// <summary>Makes the one registered <see cref="IWorkflowStore"/> available under each of its roles.</summary>
public static class StoreRoleRegistration
{
    /// <summary>
    /// Registers <see cref="IAggregateStore"/>, <see cref="IAuditStore"/>, <see cref="ITimerStore"/>, <see cref="IOutboxStore"/>,
    /// <see cref="IDeadLetterStore"/>, <see cref="IWorkQueueStore"/> and <see cref="IOperationsStore"/> as the registered
    /// <see cref="IWorkflowStore"/> (the idempotency role is registered with the store, where it replaces the in-memory one).
    /// </summary>
    public static IServiceCollection AddWorkflowStoreRoles(this IServiceCollection services)
    {
        services.TryAddSingleton<IAggregateStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.TryAddSingleton<IAuditStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.TryAddSingleton<ITimerStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.TryAddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.TryAddSingleton<IDeadLetterStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.TryAddSingleton<IWorkQueueStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.TryAddSingleton<IOperationsStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        return services;
    }
}
