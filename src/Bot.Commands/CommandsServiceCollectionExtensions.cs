using Bot.Commands.Access;
using Bot.Commands.Audit;
using Bot.Commands.Buttons;
using Bot.Commands.Capacity;
using Bot.Commands.Changes;
using Bot.Commands.DataLifecycle;
using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Alarms;
using Bot.Commands.Cloud.Cost;
using Bot.Commands.Cloud.Health;
using Bot.Commands.Cloud.Invoke;
using Bot.Commands.Cloud.Logs;
using Bot.Commands.Cloud.Metrics;
using Bot.Commands.Incidents;
using Bot.Commands.Incidents.Diagnostics;
using Bot.Commands.Outbox;
using Bot.Commands.Recovery;
using Bot.Commands.Reports;
using Bot.Commands.Reports.Dashboards;
using Bot.Commands.Reports.Kpis;
using Bot.Commands.Reports.Optimization;
using Bot.Commands.Reports.Reviews;
using Bot.Commands.Reports.Reviews.Sections;
using Bot.Commands.Routing;
using Bot.Commands.Security;
using Bot.Commands.Security.IamAccess;
using Bot.Commands.Security.Checks;
using Bot.Commands.Security.Compliance;
using Bot.Commands.Security.Feed;
using Bot.Commands.Security.Logins;
using Bot.Commands.Security.Rotation;
using Bot.Commands.Security.Secrets;
using Bot.Integrations.PagerDuty;
using Bot.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Commands;

/// <summary>
/// The command layer's composition root: the <c>/sb</c> grammar and its dispatch, the policies every request passes,
/// and each feature's verbs, buttons and options. A new verb is one <see cref="AddCommand{T}"/> line in its feature's
/// block; a new button or form one <see cref="AddInteraction{T}"/> line.
/// </summary>
public static class CommandsServiceCollectionExtensions
{
    /// <summary>Every verb, button and option of the bot. Needs the workflows and the integrations (the host adds both).</summary>
    public static IServiceCollection AddBotCommands(this IServiceCollection services)
    {
        // The pipeline: in the ack, where a verb may run (the channel policy); then, around every handler in this order,
        // the audit record and the roles the verb's spec names.
        services.AddCommandRouting();
        services.AddCommandPolicy<SlackChannelPolicy>();
        services.AddCommandMiddleware<CommandAuditRecorder>();
        services.AddCommandMiddleware<RoleCheck>();

        // Who may do what: roles from Rbac (validated on start) and the Slack user groups; the role gate; /sb whoami.
        services.AddOptions<RbacOptions>().BindConfiguration(RbacOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IDirectory, RoleDirectory>();
        services.TryAddSingleton<RoleGate>();
        services.AddCommand<WhoAmICommand>();

        // Every workflow card's buttons, and the buttons that run a command.
        services.AddInteraction<WorkflowButtonHandler>();
        services.AddInteraction<CommandButtonHandler>();

        services.AddCloudCommandHandlers();

        // Production changes under the two-person rule (Changes, validated on start).
        services.AddOptions<ChangeOptions>().BindConfiguration(ChangeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ChangeRequester>();
        services.TryAddSingleton<ChangeRefusals>();
        services.TryAddSingleton<RollbackTargets>();
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChangeOptions>>().Value.FreezeCalendar());
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PagerDutyOptions>>().Value.SecureBaseIncidents());
        services.TryAddSingleton<DeployPlanner>();
        services.TryAddSingleton<ChangeReader>();
        services.AddCommand<DeployCommand>();
        services.AddCommand<RollbackCommand>();
        services.AddCommand<ConcurrencyCommand>();
        services.AddCommand<ConfigCommand>();
        services.AddCommand<ChangesCommand>();
        services.AddCommand<ChangeCommand>();
        services.AddInteraction<ChangeForm>();

        // The ops guide's backup and recovery, data clean-up and scaling procedures (Recovery, validated on start).
        services.TryAddSingleton<BackupsReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDailyReportSection, BackupsDailySection>());
        services.AddCommand<BackupsCommand>();
        services.AddCommand<VersionsCommand>();
        services.AddCommand<RestoreCommand>();
        services.AddCommand<CleanupCommand>();
        services.TryAddSingleton<DrillStarter>();
        services.AddCommand<DrillCommand>();
        services.TryAddSingleton<TableCapacityView>();
        services.TryAddSingleton<FunctionCapacityView>();
        services.AddCommand<CapacityCommand>();

        // PagerDuty incidents as threads (Escalation and Incidents, validated on start): the webhook events' sink, the
        // reconciler, the playbooks' diagnostics, and the incident verbs.
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IncidentOptions>().BindConfiguration(IncidentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IncidentOpener>();
        services.TryAddSingleton<IncidentReconciler>();
        services.TryAddSingleton<Handoffs.HandoffSnapshotReader>();
        services.TryAddSingleton<Handoffs.HandoffWatcher>();
        services.TryAddSingleton<IPagerDutyEventSink, IncidentEventSink>();
        services.TryAddSingleton<DiagnosticMetrics>();
        services.TryAddSingleton<RecentDeploys>();
        services.AddActivity<DiagnoseIncidentHandler>();
        services.AddCommand<IncidentsCommand>();
        services.AddCommand<IncidentCommand>();
        services.AddCommand<PageCommand>();
        services.TryAddSingleton<IncidentRequest>();
        services.AddCommand<NoteCommand>();
        services.AddInteraction<AddToTimelineShortcut>();
        services.AddCommand<ReassignCommand>();
        services.AddCommand<UpdateCommand>();
        services.AddCommand<OnCallCommand>();
        services.AddCommand<Handoffs.HandoffCommand>();

        // Security operations from the guides: the views and the compliance export, and secret rotation (a Change whose
        // activities run on Secrets Manager).
        services.AddSecurityCommandHandlers();
        services.TryAddSingleton<SecretReaders>();
        services.AddActivity<PreflightRotationHandler>();
        services.AddActivity<StartRotationHandler>();
        services.AddActivity<CheckRotationHandler>();
        services.AddCommand<RotateCommand>();

        // The operations reviews: KPIs, the weekly and monthly reviews, the dashboards.
        services.AddReportCommandHandlers();

        // The bot's own trail and outbox.
        services.AddCommand<AuditCommand>();
        services.AddCommand<OutboxCommand>();
        services.AddCommand<DeadLettersCommand>();
        return services;
    }

    /// <summary>The routers and <c>/sb help</c>; the policies and middleware are the caller's (<see cref="AddBotCommands"/> adds the bot's).</summary>
    public static IServiceCollection AddCommandRouting(this IServiceCollection services)
    {
        services.TryAddSingleton<CommandRouter>();
        services.TryAddSingleton<InteractionRouter>();
        services.AddCommand<HelpCommand>();
        return services;
    }

    /// <summary>
    /// The read-only cloud commands (<c>health</c>, <c>logs</c>, <c>alarms</c>, <c>metrics</c>, <c>cost</c>, and
    /// <c>invoke</c>, which runs staging code but never prod's) and <see cref="SecureBaseOptions"/> (section
    /// <c>SecureBase</c>, validated on start). They read AWS through the integrations' clients.
    /// </summary>
    public static IServiceCollection AddCloudCommandHandlers(this IServiceCollection services)
    {
        services.AddOptions<SecureBaseOptions>().BindConfiguration(SecureBaseOptions.Section)
            .PostConfigure(o => o.ApplyDefaults())
            .Validate(o => o.Environments.ContainsKey(o.DefaultEnvironment), "SecureBase:DefaultEnvironment must name a configured environment.")
            .Validate(o => o.HealthProbeTimeout > TimeSpan.Zero && o.HealthProbeTimeout <= TimeSpan.FromMinutes(1), "SecureBase:HealthProbeTimeout must be between 0 and 1 minute.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HealthProbes>();
        services.TryAddSingleton<HealthCheckRunner>();
        services.TryAddSingleton<IHealthReporter, HealthReporter>();
        services.AddCommand<HealthCommand>();
        services.AddCommand<LogsCommand>();
        services.AddCommand<AlarmsCommand>();
        services.AddCommand<MetricsCommand>();
        services.AddCommand<CostCommand>();
        services.AddCommand<InvokeCommand>();
        return services;
    }

    /// <summary>
    /// The security views and the compliance export (<c>secrets</c>, <c>security logins|checks</c>, <c>access</c>,
    /// <c>compliance export</c>) and <see cref="SecurityOptions"/> (section <c>Security</c>, validated on start). They read
    /// Secrets Manager, IAM, the activity feed and the logs through the integrations' clients; the access review keeps its
    /// result through the engine, the export records itself in the audit trail. <see cref="SecuritySummary"/> gives the weekly
    /// review its security lines.
    /// </summary>
    public static IServiceCollection AddSecurityCommandHandlers(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ActivityFeedReader>();
        services.TryAddSingleton<FailedLogins>();
        services.TryAddSingleton<SecurityChecks>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDailyReportSection, SecurityDailySection>());
        services.TryAddSingleton<AccessReviewer>();
        services.TryAddSingleton<ComplianceExporter>();
        services.TryAddSingleton<ChangeReader>();
        services.TryAddSingleton<SecuritySummary>();
        services.AddCommand<SecretsCommand>();
        services.AddCommand<SecurityCommand>();
        services.AddCommand<AccessCommand>();
        services.AddCommand<ComplianceCommand>();
        return services;
    }

    /// <summary>
    /// The operations reviews of the procedures (<c>kpis</c>, <c>report weekly|monthly</c> and their sections, <c>dashboard</c>) and <see cref="ReportsOptions"/> (section <c>Reports</c>:
    /// the KPI targets and the dashboards, validated on start). They read CloudWatch, Logs Insights and Cost Explorer.
    /// </summary>
    public static IServiceCollection AddReportCommandHandlers(this IServiceCollection services)
    {
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Kpis.AverageDuration > TimeSpan.Zero, "Reports:Kpis:AverageDuration must be positive.")
            .Validate(o => new[] { o.Kpis.SuccessRatePercent, o.Kpis.AvailabilityPercent, o.Kpis.EmailDeliveryPercent }.All(p => p is > 0 and <= 100),
                "Reports:Kpis:SuccessRatePercent, AvailabilityPercent and EmailDeliveryPercent are percentages (above 0, at most 100).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MetricReads>();
        services.TryAddSingleton<KpiReader>();
        services.AddCommand<KpisCommand>();
        // The reviews' sections in the order they are shown; each reads its own data, and one that fails leaves the rest.
        services.TryAddSingleton<ChangeReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, KpiSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, FunctionsSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, TablesSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, ApiSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, CostSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, OperationsSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, CapacityForecastSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, CostForecastSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, CostOptimizationSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewSection, SecuritySection>());
        // The guide's four optimization recommendations, computed from the account.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecommender, MemoryRightSizing>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecommender, UnusedIndexes>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecommender, LifecycleRules>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecommender, LogRetention>());
        services.TryAddSingleton<ReviewBuilder>();
        services.TryAddSingleton<ReviewDocuments>();
        services.TryAddSingleton<ReviewPublisher>();
        services.AddCommand<ReportCommand>();
        services.TryAddSingleton<KeyMetricCharts>();
        services.AddCommand<DashboardCommand>();
        return services;
    }

    /// <summary>Registers one <c>/sb</c> verb.</summary>
    public static IServiceCollection AddCommand<T>(this IServiceCollection services) where T : class, ICommandHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandHandler, T>());
        return services;
    }

    /// <summary>Registers a step of the work half around every handler (e.g. the audit trail); steps run in registration order.</summary>
    public static IServiceCollection AddCommandMiddleware<T>(this IServiceCollection services) where T : class, ICommandMiddleware
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandMiddleware, T>());
        return services;
    }

    /// <summary>Registers a rule that can refuse a command where it was asked (e.g. the Slack channel policy).</summary>
    public static IServiceCollection AddCommandPolicy<T>(this IServiceCollection services) where T : class, ICommandPolicy
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandPolicy, T>());
        return services;
    }

    /// <summary>Registers a handler for the button / modal ids it owns.</summary>
    public static IServiceCollection AddInteraction<T>(this IServiceCollection services) where T : class, IInteractionHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInteractionHandler, T>());
        return services;
    }
}
