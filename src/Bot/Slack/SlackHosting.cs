namespace Bot.Slack;

/// <summary>Slack HTTP transport: signature middleware, endpoints, Web API client.</summary>
public static class SlackHosting
{
    public static IHostApplicationBuilder AddSlackTransport(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapSlackEndpoints(this WebApplication app)
    {
        return app;
    }
}
