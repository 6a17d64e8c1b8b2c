namespace Bot.Hosting;

/// <summary>Stores, timers, outbox and audit (workflow engine).</summary>
public static class WorkflowHosting
{
    public static IHostApplicationBuilder AddWorkflowEngine(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
