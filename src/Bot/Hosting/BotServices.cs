using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.PagerDuty;

namespace Bot.Hosting;

/// <summary>Everything both transports (Slack server and local shell) share.</summary>
public static class BotServices
{
    public static IHostApplicationBuilder AddBotServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCommandRouting();
        builder.AddWorkflowEngine();
        builder.AddCloudCommands();
        builder.AddPagerDuty();
        builder.AddIncidents();
        builder.AddOperations();
        return builder;
    }
}
