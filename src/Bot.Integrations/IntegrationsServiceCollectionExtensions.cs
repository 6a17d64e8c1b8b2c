using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Kms;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.Slack;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Integrations;

/// <summary>The outside systems' composition root: one adapter per capability the domain asks for.</summary>
public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// The adapters, each configured from its own section and validated on start where it is required:
    /// <list type="bullet">
    /// <item>AWS (<c>Aws</c>): the SigV4 clients and the DynamoDB SDK client of the cloud commands, and
    /// <see cref="ICloud"/> over them (<see cref="LambdaCloud"/>; the host says whether the account is the rehearsal one,
    /// <see cref="CloudAccount"/>);</item>
    /// <item>Slack (<c>Slack</c>): the Web API and <c>response_url</c> clients, and the user groups and profiles the
    /// role directory reads (Slack's when a bot token is configured, none otherwise);</item>
    /// <item>PagerDuty (<c>PagerDuty</c>, optional): the REST and Events clients and <see cref="IPager"/> over them.</item>
    /// </list>
    /// The chat port (<see cref="IChat"/>) is the transport's: the host registers Slack's or the shell's.
    /// </summary>
    public static IServiceCollection AddBotIntegrations(this IServiceCollection services)
    {
        services.AddAwsClients();
        services.TryAddSingleton<ICloud, LambdaCloud>();
        services.AddChangeSecretKeys();
        services.TryAddSingleton<ITableRecovery, Aws.Recovery.AwsTableRecovery>();
        services.TryAddSingleton<IReportObjects, Aws.Recovery.AwsReportObjects>();
        services.TryAddSingleton<ITableCapacity, Aws.Recovery.AwsTableCapacity>();
        services.TryAddSingleton<ISessionItems, Aws.Recovery.AwsSessionItems>();

        services.AddSlackWebApi();
        services.TryAddSingleton<IUserGroups>(sp => HasBotToken(sp) ? new SlackUserGroups(sp.GetRequiredService<Slack.WebApi.SlackWebApiClient>()) : new NoUserGroups());
        services.TryAddSingleton<IUserProfiles>(sp => HasBotToken(sp) ? new SlackUserProfiles(sp.GetRequiredService<Slack.WebApi.SlackWebApiClient>()) : new NoUserProfiles());

        services.AddPagerDutyClients();
        return services;
    }

    private static bool HasBotToken(IServiceProvider services) =>
        !string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<SlackOptions>>().Value.BotToken);
}
