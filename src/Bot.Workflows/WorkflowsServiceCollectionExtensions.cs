using Amazon.DynamoDBv2;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Activities;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Engine;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Outbox;
using Bot.Workflows.Recovery;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Timers;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Workflows;

/// <summary>The domain's composition root: the store, the engine and its workflows, timers, activities, outbox and audit.</summary>
public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>The DI key of the DynamoDB client the store uses (never one aimed at the sandbox for the cloud commands).</summary>
    public const string StoreClientKey = "Store";

    /// <summary>
    /// Everything the workflows need but the ports the outside adapters fill (<see cref="IChat"/> from the transport,
    /// <see cref="ICloud"/>, <see cref="IPager"/> and <see cref="IDirectory"/> from the integrations and commands):
    /// <list type="bullet">
    /// <item><see cref="StoreOptions"/> (section <c>Store</c>, validated on start) and the store it chooses, SQLite by
    /// default or DynamoDB for several instances, which is also the durable <see cref="IIdempotencyStore"/>;</item>
    /// <item>the engine and the workflows (Change, Incident, its intake, the kept access review) with the activities that run on the ports;</item>
    /// <item>the timer pump, the activity runner, the outbox sender and its dead letters (<see cref="PumpOptions"/>,
    /// section <c>Workers</c>), and the audit log.</item>
    /// </list>
    /// The host starts the pumps as hosted services. Activity handlers of other layers add themselves with
    /// <see cref="AddActivity{T}"/>.
    /// </summary>
    public static IServiceCollection AddBotWorkflows(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        // The store, chosen once by Store:Provider; it is also the idempotency store.
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddKeyedSingleton<IAmazonDynamoDB>(StoreClientKey, (sp, _) => new AmazonDynamoDBClient(StoreClientConfig(sp.GetRequiredService<IConfiguration>())));
        services.TryAddSingleton<IWorkflowStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return options.IsDynamoDb
                ? new DynamoDbWorkflowStore(sp.GetRequiredKeyedService<IAmazonDynamoDB>(StoreClientKey), options.DynamoDbTable!, time, options.CreateTable,
                    sp.GetRequiredService<ILogger<DynamoDbWorkflowStore>>())
                : new SqliteWorkflowStore(options.ResolvedSqlitePath, time) { HoldsFile = true };
        });
        services.TryAddSingleton<IIdempotencyStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.AddWorkflowStoreRoles();

        // The engine and the workflows it runs.
        services.TryAddSingleton<WorkSignals>();
        services.TryAddSingleton(sp => new WorkflowRegistry(sp.GetServices<IWorkflowDefinition>()));
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(Change.Definition));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(Incident.Definition));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(Bot.Workflows.Handoffs.Handoff.Definition));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(IncidentIntake.Definition));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition>(AccessReviews.AccessReview.Definition));

        // Side effects after the save: activities on the ports, timers, the outbox to the chat.
        services.AddOptions<PumpOptions>().BindConfiguration(PumpOptions.Section);
        services.TryAddSingleton(sp => new ActivityCatalog(sp.GetServices<IActivityHandler>()));
        services.AddActivity<PreflightChangeHandler>();
        services.AddActivity<MoveAliasHandler>();
        services.AddActivity<SetConcurrencyHandler>();
        services.AddActivity<UpdateConfigurationHandler>();
        services.AddActivity<CheckDeployHealthHandler>();
        services.AddActivity<CheckBreakGlassIncidentHandler>();
        services.AddActivity<CloseEarlierRollbacksHandler>();
        services.TryAddSingleton<ValueSealer>();
        services.AddActivity<IncidentActionHandler>();
        services.AddRecoveryWorkflows();
        // One runner per lane: changes' activities never wait behind incidents'.
        services.TryAddSingleton<ActivityRunner>();
        services.TryAddKeyedSingleton(WorkQueues.IncidentActivities,
            (sp, _) => ActivatorUtilities.CreateInstance<ActivityRunner>(sp, WorkQueues.IncidentActivities));
        services.TryAddSingleton<TimerPump>();
        services.TryAddSingleton<DeadLetters>();
        services.TryAddSingleton<OutboxSender>();
        services.TryAddSingleton<IAuditLog, AuditLog>();
        return services;
    }

    /// <summary>Registers the handler of one kind of activity.</summary>
    public static IServiceCollection AddActivity<T>(this IServiceCollection services) where T : class, IActivityHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActivityHandler, T>());
        return services;
    }

    /// <summary>
    /// The store client's settings: the SDK's chain for region, credentials and endpoint (<c>AWS_ENDPOINT_URL_DYNAMODB</c>
    /// honoured), with the AWS settings' retries and attempt timeout (<c>Aws__MaxRetries</c>, default 3;
    /// <c>Aws__AttemptTimeout</c>, default 5 s). The SDK's own default for DynamoDB is ten retries backing off up to 20 s,
    /// which holds a call for two minutes while the store is unreachable: the webhook endpoint could not answer 503 in
    /// time, nor a probe say the store is down.
    /// </summary>
    public static AmazonDynamoDBConfig StoreClientConfig(IConfiguration configuration) => new()
    {
        MaxErrorRetry = configuration.GetValue("Aws:MaxRetries", 3),
        Timeout = configuration.GetValue("Aws:AttemptTimeout", TimeSpan.FromSeconds(5)),
    };
}
