using Bot.Commands;
using Bot.Integrations.Http;
using Bot.Commands.Routing;
using Bot.Commands.Status;
using Bot.Integrations.Slack;
using Bot.Operations;
using Bot.Workflows.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bot.Hosting;

/// <summary>Running the bot: status, heartbeats, gauges, graceful shutdown (both transports); logs and telemetry (server).</summary>
public static class OperationsHosting
{
    /// <summary>The variable that turns on OpenTelemetry export (OTLP); the exporter reads its other <c>OTEL_*</c> variables itself.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// <c>/sb status</c>, the instance heartbeat and store snapshot (<see cref="OperationsMonitor"/>), the gauges over
    /// it, and the shutdown drain that makes <c>/readyz</c> unready first.
    /// </summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section)
            .Validate(o => o.SampleInterval > TimeSpan.Zero && o.InstanceSeenWithin > TimeSpan.Zero && o.DrainDelay >= TimeSpan.Zero
                    && o.ReadinessLogInterval >= TimeSpan.FromSeconds(1) && o.OutboxLogInterval > TimeSpan.Zero,
                "Operations:SampleInterval, InstanceSeenWithin and OutboxLogInterval must be positive, ReadinessLogInterval at least 00:00:01, DrainDelay not negative.")
            .ValidateOnStart();
        services.TryAddSingleton<BotInstance>();
        services.TryAddSingleton<OperationsMonitor>();
        services.TryAddSingleton<OperationalGauges>();
        services.AddHostedService(sp =>
        {
            _ = sp.GetRequiredService<OperationalGauges>();
            return sp.GetRequiredService<OperationsMonitor>();
        });
        services.TryAddTransient<ConnectivityChecks>();
        services.TryAddTransient<IBotStatus, BotStatus>();
        services.AddCommand<StatusCommand>();
        return builder;
    }

    /// <summary>Server mode: at shutdown <c>/readyz</c> goes unready first and the bot keeps serving for <see cref="OperationsOptions.DrainDelay"/>.</summary>
    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<ShutdownDrain>();
        // Registered first: its StoppingAsync runs before anything stops.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<ShutdownDrain>()));
        services.AddHealthChecks().AddCheck<ShutdownDrain>(ShutdownDrain.Name, tags: [Probes.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Server mode: one JSON object per log line (with scopes: the Slack request id, user and command of the request
    /// being handled) unless <c>Logging__Console__FormatterName</c> says otherwise; every HTTP client logs quietly
    /// (no headers); the lines the stack's alarms read (<see cref="ReadinessLog"/> at each background evaluation of
    /// readiness, <see cref="OutboxReport"/> once a minute); OpenTelemetry metrics and traces over OTLP when
    /// <see cref="OtlpEndpointVariable"/> is set.
    /// </summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IHealthCheckPublisher, ReadinessLog>();
        builder.Services.AddOptions<HealthCheckPublisherOptions>().Configure<IOptions<OperationsOptions>>((publisher, operations) =>
        {
            publisher.Predicate = check => check.Tags.Contains(Probes.ReadyTag);
            publisher.Period = operations.Value.ReadinessLogInterval >= TimeSpan.FromSeconds(1) ? operations.Value.ReadinessLogInterval : TimeSpan.FromSeconds(1);
            publisher.Delay = publisher.Period < publisher.Delay ? publisher.Period : publisher.Delay;
        });
        builder.Services.AddHostedService<OutboxReport>();

        if (string.IsNullOrWhiteSpace(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        // Clients that name their own logger (Slack, AWS, PagerDuty) replace this one.
        builder.Services.ConfigureHttpClientDefaults(client => client.LogCallsQuietly("HTTP", showPath: false));

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable])) builder.AddOpenTelemetryExport();
        return builder;
    }

    private static void AddOpenTelemetryExport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "securebase-ops-bot", serviceVersion: BotInstance.Version))
            .WithMetrics(metrics => metrics
                .AddMeter(BotTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter())
            .WithTracing(tracing => tracing
                .AddSource(BotTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !Probes.IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) => RedactCapabilityUrl(activity, request))
                .AddOtlpExporter());
    }

    /// <summary>
    /// Slack's <c>response_url</c>s and upload URLs are capabilities (whoever has one can post): a span keeps only their
    /// host. Query strings never reach a span.
    /// </summary>
    internal static void RedactCapabilityUrl(System.Diagnostics.Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri) return;
        var capability = uri.Host.StartsWith("hooks.", StringComparison.OrdinalIgnoreCase) || uri.Host.StartsWith("files.", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.StartsWith("/response/", StringComparison.Ordinal) || uri.AbsolutePath.StartsWith("/upload/", StringComparison.Ordinal);
        activity.SetTag("url.full", capability ? $"{uri.Scheme}://{uri.Authority}/(redacted)" : $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}");
    }
}
