using Bot.Integrations.Slack.WebApi;
using Bot.Commands.Access;
using Bot.Integrations.Slack;
using Bot.Commands.Routing;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Commands.Buttons;

public static class WorkflowCommandsServiceCollectionExtensions
{
    /// <summary>
    /// What workflows need from this layer: the directory of roles (<see cref="RbacOptions"/>, validated on start;
    /// user groups from Slack), the role gate and <c>/sb whoami</c>, the handler for every workflow button and form, and
    /// the activity catalog. Activity handlers add themselves with <see cref="AddActivity{T}"/>.
    /// </summary>
    public static IServiceCollection AddWorkflowCapabilities(this IServiceCollection services)
    {
        services.AddOptions<RbacOptions>().BindConfiguration(RbacOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Slack's user groups where the Slack Web API is registered (server and shell); otherwise groups cannot be read.
        services.TryAddSingleton<IUserGroups>(sp => sp.GetService<SlackWebApiClient>() is { } slack ? new SlackUserGroups(slack) : new NoUserGroups());
        services.TryAddSingleton<IUserProfiles>(sp => sp.GetService<SlackWebApiClient>() is { } slack ? new SlackUserProfiles(slack) : new NoUserProfiles());
        services.TryAddSingleton<IDirectory, RoleDirectory>();
        services.TryAddSingleton<RoleGate>();
        services.AddCommand<WhoAmICommand>();
        services.AddInteraction<WorkflowButtonHandler>();
        services.AddInteraction<CommandButtonHandler>();
        services.TryAddSingleton(sp => new ActivityCatalog(sp.GetServices<IActivityHandler>()));
        return services;
    }

    /// <summary>Registers the handler of one kind of activity.</summary>
    public static IServiceCollection AddActivity<T>(this IServiceCollection services) where T : class, IActivityHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActivityHandler, T>());
        return services;
    }
}
