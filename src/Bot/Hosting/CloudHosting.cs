namespace Bot.Hosting;

/// <summary>AWS clients, the sandbox account, and the read-only cloud commands.</summary>
public static class CloudHosting
{
    public static IHostApplicationBuilder AddCloudCommands(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
