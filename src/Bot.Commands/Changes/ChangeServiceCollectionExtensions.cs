using Bot.Integrations.Aws;
using Bot.Commands.Routing;
using Bot.Commands.Buttons;
using Bot.Integrations.Slack;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Commands.Changes;

public static class ChangeServiceCollectionExtensions
{
    /// <summary>
    /// Production changes under the two-person rule: the Change workflow and its activities over the AWS clients
    /// (<see cref="LambdaCloud"/>), <see cref="ChangeOptions"/> from section <c>Changes</c> (validated on start), and the
    /// commands deploy, rollback, concurrency and config. Needs the cloud commands' AWS clients and a
    /// <see cref="CloudAccount"/> from the host; the pager (for <c>--incident</c>) is PagerDuty's when configured.
    /// </summary>
    public static IServiceCollection AddChangeWorkflow(this IServiceCollection services)
    {
        services.AddOptions<ChangeOptions>().BindConfiguration(ChangeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(new CloudAccount(IsRehearsal: false));
        services.TryAddSingleton<ICloud, LambdaCloud>();
        services.TryAddSingleton<IPager, NoPager>();
        services.TryAddSingleton<ChangeRequester>();
        services.TryAddSingleton<DeployPlanner>();
        services.AddSingleton<IWorkflowDefinition>(Change.Definition);
        services.AddActivity<PreflightChangeHandler>();
        services.AddActivity<MoveAliasHandler>();
        services.AddActivity<SetConcurrencyHandler>();
        services.AddActivity<UpdateConfigurationHandler>();
        services.AddActivity<CheckDeployHealthHandler>();
        services.AddCommand<DeployCommand>();
        services.AddCommand<RollbackCommand>();
        services.AddCommand<ConcurrencyCommand>();
        services.AddCommand<ConfigCommand>();
        services.TryAddSingleton<ChangeReader>();
        services.AddCommand<ChangesCommand>();
        services.AddCommand<ChangeCommand>();
        services.AddInteraction<ChangeForm>();
        return services;
    }
}
