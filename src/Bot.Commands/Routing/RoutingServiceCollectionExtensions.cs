using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Commands.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>The routers and <c>/sb help</c>. Handlers add themselves with <see cref="AddCommand{T}"/>.</summary>
    public static IServiceCollection AddCommandRouting(this IServiceCollection services)
    {
        services.TryAddSingleton<CommandRouter>();
        services.TryAddSingleton<InteractionRouter>();
        services.AddCommand<HelpCommand>();
        return services;
    }

    /// <summary>Registers one <c>/sb</c> verb.</summary>
    public static IServiceCollection AddCommand<T>(this IServiceCollection services) where T : class, ICommandHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandHandler, T>());
        return services;
    }

    /// <summary>Registers something that sees every command before it runs (e.g. the audit trail).</summary>
    public static IServiceCollection AddCommandObserver<T>(this IServiceCollection services) where T : class, ICommandObserver
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandObserver, T>());
        return services;
    }

    /// <summary>Registers a rule that can refuse a command where it was asked (e.g. the Slack channel policy).</summary>
    public static IServiceCollection AddCommandPolicy<T>(this IServiceCollection services) where T : class, ICommandPolicy
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandPolicy, T>());
        return services;
    }

    /// <summary>Registers a handler for the button / modal ids it owns.</summary>
    public static IServiceCollection AddInteraction<T>(this IServiceCollection services) where T : class, IInteractionHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInteractionHandler, T>());
        return services;
    }
}
