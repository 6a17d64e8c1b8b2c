using Bot.Commands;
using Bot.Integrations;
using Bot.Workflows;

namespace Bot.Hosting;

/// <summary>Everything both transports (Slack server and local shell) share.</summary>
public static class BotServices
{
    /// <summary>
    /// The three layers (the domain, the outside systems' adapters, the commands), the sandbox account when the bot
    /// rehearses against it, the background workers, and what it takes to run the bot (status, heartbeats, gauges).
    /// The transport (Slack or the shell) is added after this and brings the chat.
    /// </summary>
    public static IHostApplicationBuilder AddBotServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBotWorkflows().AddBotIntegrations().AddBotCommands();
        builder.AddSandbox();
        builder.AddWorkers();
        builder.AddOperations();
        return builder;
    }
}
