using Bot.PagerDuty;
using Bot.Workers;

namespace Bot.Hosting;

/// <summary>The background work of a running bot, started in this order.</summary>
public static class WorkerHosting
{
    /// <summary>
    /// The store is made ready first (and checked by <c>/readyz</c>); then the pumps run: timers, the outbox to the chat,
    /// activities, the PagerDuty webhook inbox; then the incident reconciler and the scheduled health report
    /// (<see cref="DailyHealthReportOptions"/>, section <c>Reports:DailyHealth</c>, validated on start).
    /// </summary>
    public static IHostApplicationBuilder AddWorkers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHostedService<WorkflowStoreInitializer>();
        services.AddHealthChecks().AddCheck<WorkflowStoreHealthCheck>(WorkflowStoreHealthCheck.Name, tags: [Probes.ReadyTag]);
        services.AddHostedService<TimerPumpService>();
        services.AddHostedService<OutboxSenderService>();
        services.AddHostedService<ActivityRunnerService>();
        services.AddHostedService<IncidentActivityRunnerService>();
        services.AddPagerDutyInbox();
        services.AddHostedService<IncidentReconcilerService>();
        services.AddHostedService<HandoffWatcherService>();
        services.AddOptions<DailyHealthReportOptions>().BindConfiguration(DailyHealthReportOptions.Section)
            .Validate(o => o.IsValid(out _), "Reports:DailyHealth needs a valid Cron and TimeZone (e.g. \"0 9 * * 1-5\" and \"Europe/London\").")
            .ValidateOnStart();
        services.AddHostedService<DailyHealthReport>();
        return builder;
    }
}
