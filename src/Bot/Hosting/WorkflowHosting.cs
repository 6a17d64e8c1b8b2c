using Amazon.DynamoDBv2;
using Bot.Integrations.Aws;
using Bot.Commands.Audit;
using Bot.Commands.Outbox;
using Bot.Commands.Routing;
using Bot.Commands.Buttons;
using Bot.Integrations.Slack;
using Bot.Workflows.Activities;
using Bot.Workers;
using Bot.Workflows;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.DynamoDb;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Timers;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

/// <summary>Stores, timers, outbox and audit (workflow engine).</summary>
public static class WorkflowHosting
{
    /// <summary>The DI key of the DynamoDB client the store uses.</summary>
    public const string StoreClientKey = "Store";

    /// <summary>
    /// The workflow engine: <see cref="StoreOptions"/> from section <c>Store</c> (validated on start), the
    /// store (SQLite by default, DynamoDB for several instances) which is also the durable
    /// <see cref="IIdempotencyStore"/>, the engine, the audit log and <c>/sb audit</c>, and the hosted
    /// services that initialize the store, fire timers and drain the outbox. Workflow definitions are added
    /// with <c>services.AddSingleton&lt;IWorkflowDefinition&gt;(…)</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowEngine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The store's own client (keyed, so a DynamoDB client registered for the cloud commands, e.g. one aimed at the
        // sandbox, is never used for state): AWS default chain for region and credentials, AWS_ENDPOINT_URL_DYNAMODB honoured.
        services.AddOptions<AwsOptions>().BindConfiguration(AwsOptions.Section);
        services.TryAddKeyedSingleton<IAmazonDynamoDB>(StoreClientKey, (sp, _) => new AmazonDynamoDBClient(StoreClientConfig(sp.GetRequiredService<IOptions<AwsOptions>>().Value)));
        services.TryAddSingleton<IWorkflowStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return options.IsDynamoDb
                ? new DynamoDbWorkflowStore(sp.GetRequiredKeyedService<IAmazonDynamoDB>(StoreClientKey), options.DynamoDbTable!, time, options.CreateTable,
                    sp.GetRequiredService<ILogger<DynamoDbWorkflowStore>>())
                : new SqliteWorkflowStore(options.ResolvedSqlitePath, time);
        });
        services.RemoveAll<IIdempotencyStore>();
        services.AddSingleton<IIdempotencyStore>(sp => sp.GetRequiredService<IWorkflowStore>());
        services.AddWorkflowStoreRoles();

        services.AddOptions<PumpOptions>().BindConfiguration(PumpOptions.Section);
        services.TryAddSingleton<WorkSignals>();
        services.TryAddSingleton(sp => new WorkflowRegistry(sp.GetServices<IWorkflowDefinition>()));
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton<TimerPump>();
        services.AddWorkflowCapabilities();
        services.TryAddSingleton<ActivityRunner>();
        // A factory: IChat comes from the transport (Slack's SlackChat, the shell's printer) and may be registered later.
        services.TryAddSingleton(sp => new OutboxSender(sp.GetRequiredService<IWorkflowStore>(), sp.GetRequiredService<IChat>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OutboxSender>>(), sp.GetRequiredService<WorkSignals>(),
            sp.GetRequiredService<IOptions<PumpOptions>>(), sp.GetRequiredService<DeadLetters>()));
        services.TryAddSingleton<DeadLetters>();
        services.TryAddSingleton<IAuditLog, AuditLog>();
        services.AddCommandObserver<CommandAuditRecorder>();
        services.AddCommand<AuditCommand>();
        services.AddCommand<OutboxCommand>();

        // Registration order is start order: the store is ready before the pump and the sender run.
        services.AddHostedService<WorkflowStoreInitializer>();
        services.AddHealthChecks().AddCheck<WorkflowStoreHealthCheck>(WorkflowStoreHealthCheck.Name, tags: [Probes.ReadyTag]);
        services.AddHostedService<TimerPumpService>();
        services.AddHostedService<OutboxSenderService>();
        services.AddHostedService<ActivityRunnerService>();
        return builder;
    }

    /// <summary>
    /// The store client's settings: the SDK's chain for region, credentials and endpoint, with the retries and attempt timeout
    /// of the AWS settings (<c>Aws__MaxRetries</c>, <c>Aws__AttemptTimeout</c>). The SDK's own default for DynamoDB is ten
    /// retries backing off up to 20 s, which holds a call for two minutes while the store is unreachable: the webhook
    /// endpoint could not answer 503 in time, nor a probe say the store is down.
    /// </summary>
    public static AmazonDynamoDBConfig StoreClientConfig(AwsOptions aws) => new() { MaxErrorRetry = aws.MaxRetries, Timeout = aws.AttemptTimeout };
}
