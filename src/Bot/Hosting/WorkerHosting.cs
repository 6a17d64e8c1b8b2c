using Bot.PagerDuty;
using Bot.Workers;

namespace Bot.Hosting;

/// <summary>The background work of a running bot, started in this order.</summary>
public static class WorkerHosting
{
    /// <summary>
    /// The store is made ready first (and checked by <c>/readyz</c>); then the pumps run: timers, the outbox to the chat,
    /// activities, the PagerDuty webhook inbox; then the incident reconciler, the scheduled health report
    /// (<see cref="DailyHealthReportOptions"/>, section <c>Reports:DailyHealth</c>, validated on start) and the quarterly DR drill
    /// (<see cref="DrDrillScheduleOptions"/>, section <c>Reports:DrDrill</c>, off unless its cron is set), and the weekly and
    /// monthly operations reviews (<see cref="WeeklyReviewScheduleOptions"/>, <see cref="MonthlyReviewScheduleOptions"/>, sections
    /// <c>Reports:Weekly</c> and <c>Reports:Monthly</c>), each posted once across instances.
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
        services.AddOptions<DrDrillScheduleOptions>().BindConfiguration(DrDrillScheduleOptions.Section)
            .Validate(o => o.IsValid(), "Reports:DrDrill needs a valid Cron (or none), TimeZone and Environment (e.g. \"0 10 1 1,4,7,10 *\", \"UTC\", \"staging\").")
            .ValidateOnStart();
        services.AddHostedService<DrDrillSchedule>();
        services.AddOptions<WeeklyReviewScheduleOptions>().BindConfiguration(WeeklyReviewScheduleOptions.Section)
            .Validate(o => o.IsValid(), "Reports:Weekly needs a valid Cron, TimeZone and Environment (e.g. \"30 9 * * MON\", \"UTC\", \"prod\").")
            .ValidateOnStart();
        services.AddHostedService<WeeklyReviewSchedule>();
        services.AddOptions<MonthlyReviewScheduleOptions>().BindConfiguration(MonthlyReviewScheduleOptions.Section)
            .Validate(o => o.IsValid(), "Reports:Monthly needs a valid Cron, TimeZone and Environment (e.g. \"0 10 * * MON#1\", \"UTC\", \"prod\").")
            .ValidateOnStart();
        services.AddHostedService<MonthlyReviewSchedule>();
        return builder;
    }
}
