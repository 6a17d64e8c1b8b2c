using Bot.Integrations.Http;
using System.Net;
using Bot.Integrations.Aws.AutoScaling;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Integrations.Aws.Iam;
using Bot.Integrations.Aws.Lambda;
using Bot.Integrations.Aws.Logs;
using Bot.Integrations.Aws.S3;
using Bot.Integrations.Aws.SecretsManager;
using Bot.Integrations.Aws.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Bot.Integrations.Aws;

public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// The AWS clients: options from the <c>Aws</c> section, credentials (static keys when
    /// configured, else AWSSDK.Core's default chain), region, endpoints (honouring
    /// <c>AWS_ENDPOINT_URL[_SERVICE]</c>), and one typed HttpClient per service with the standard
    /// resilience handler (jittered retries on throttling and 5xx, attempt and total timeouts)
    /// around the SigV4 signer.
    /// </summary>
    public static IServiceCollection AddAwsClients(this IServiceCollection services)
    {
        services.AddOptions<AwsOptions>().BindConfiguration(AwsOptions.Section)
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout, "Aws:AttemptTimeout must be positive and no longer than Aws:TotalTimeout.")
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "Aws:MaxRetries must be between 0 and 10.")
            .Validate(o => o.InvokeTimeout > TimeSpan.Zero && o.InvokeTimeout <= TimeSpan.FromMinutes(15), "Aws:InvokeTimeout must be between 0 and 15 minutes (Lambda's longest run).")
            .Validate(o => string.IsNullOrEmpty(o.AccessKeyId) == string.IsNullOrEmpty(o.SecretAccessKey), "Aws:AccessKeyId and Aws:SecretAccessKey go together.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AwsOptions>>().Value);
        services.AddSingleton<AwsRegionProvider>();
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetService<IConfiguration>();
            return new AwsEndpointResolver(name => configuration?[name] ?? Environment.GetEnvironmentVariable(name),
                sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<AwsRegionProvider>());
        });
        services.AddSingleton<IAwsCredentialsProvider>(sp =>
        {
            var o = sp.GetRequiredService<AwsOptions>();
            return string.IsNullOrEmpty(o.AccessKeyId)
                ? new SdkDefaultCredentialsProvider()
                : new StaticCredentialsProvider(new AwsCredentialSet(o.AccessKeyId, o.SecretAccessKey!, string.IsNullOrEmpty(o.SessionToken) ? null : o.SessionToken));
        });
        services.TryAddSingleton(TimeProvider.System);

        services.AddAwsHttpClient<ILambdaClient, LambdaClient>(AwsService.Lambda);
        services.AddAwsHttpClient<ICloudWatchClient, CloudWatchClient>(AwsService.CloudWatch);
        services.AddAwsHttpClient<ICloudWatchLogsClient, CloudWatchLogsClient>(AwsService.CloudWatchLogs);
        services.AddAwsHttpClient<ICostExplorerClient, CostExplorerClient>(AwsService.CostExplorer);
        services.AddAwsHttpClient<IApplicationAutoScalingClient, ApplicationAutoScalingClient>(AwsService.ApplicationAutoScaling);
        services.AddAwsHttpClient<IIamClient, IamClient>(AwsService.Iam);
        services.AddAwsHttpClient<ISecretsManagerClient, SecretsManagerClient>(AwsService.SecretsManager);

        services.AddSingleton(sp => new DynamoDbClientProvider(
            sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<AwsRegionProvider>(), sp.GetRequiredService<AwsEndpointResolver>(),
            sp.GetRequiredService<IAwsCredentialsProvider>(), sp.GetRequiredService<IHttpClientFactory>(), sp.GetService<IAwsEndpointOverride>()));
        services.AddHttpClient(SdkHttpClientFactory.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .LogCallsQuietly("AWS SDK", showPath: true);
        services.AddSingleton<IDynamoDbTables, DynamoDbTables>();
        services.AddSingleton<IDynamoDbRecovery, DynamoDbRecovery>();
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetService<IConfiguration>();
            return new S3ClientProvider(sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<AwsRegionProvider>(),
                name => configuration?[name] ?? Environment.GetEnvironmentVariable(name),
                sp.GetRequiredService<IAwsCredentialsProvider>(), sp.GetRequiredService<IHttpClientFactory>(), sp.GetService<IAwsEndpointOverride>());
        });
        services.AddSingleton<IReportBuckets, ReportBuckets>();
        services.AddSingleton<IDynamoDbItems, DynamoDbItems>();
        services.AddSingleton<IDynamoDbExports, DynamoDbExports>();
        return services;
    }

    private static void AddAwsHttpClient<TClient, TImplementation>(this IServiceCollection services, AwsService service)
        where TClient : class
        where TImplementation : class, TClient
    {
        var builder = services.AddHttpClient<TClient, TImplementation>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<AwsEndpointResolver>().Resolve(service);
            // The resilience handler owns timeouts; this is only a backstop.
            var o = sp.GetRequiredService<AwsOptions>();
            http.Timeout = (service == AwsService.Lambda ? o.InvokeTimeout + o.TotalTimeout : o.TotalTimeout) + TimeSpan.FromSeconds(5);
        });
        // Handlers are singletons holding their typed client, so connections are recycled here instead of by the factory.
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

        builder.AddStandardResilienceHandler().Configure((standard, sp) =>
        {
            var o = sp.GetRequiredService<AwsOptions>();
            standard.TotalRequestTimeout.Timeout = o.TotalTimeout;
            standard.AttemptTimeout.Timeout = o.AttemptTimeout;
            standard.CircuitBreaker.SamplingDuration = o.AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? o.AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
            standard.Retry.MaxRetryAttempts = Math.Max(o.MaxRetries, 1);
            standard.Retry.BackoffType = DelayBackoffType.Exponential;
            standard.Retry.UseJitter = true;
            standard.Retry.Delay = o.RetryBaseDelay;
            standard.Retry.ShouldRetryAfterHeader = true;
            var retries = o.MaxRetries;
            standard.Retry.ShouldHandle = args => retries == 0 ? ValueTask.FromResult(false)
                : RunsCode(args.Context) ? ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
                : ShouldRetryAsync(args.Outcome, args.Context.CancellationToken);
            // An invocation runs as long as the function does: it gets its own timeout instead of the attempt timeout.
            standard.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(RunsCode(args.Context) ? o.InvokeTimeout : o.AttemptTimeout);
            standard.TotalRequestTimeout.TimeoutGenerator = args => ValueTask.FromResult(RunsCode(args.Context) ? o.InvokeTimeout + o.TotalTimeout : o.TotalTimeout);
        });
        builder.AddHttpMessageHandler(sp => sp.GetService<IAwsEndpointOverride>() is { } endpoint
            ? new EndpointOverrideHandler(endpoint)
            : new PassThroughHandler());
        builder.AddHttpMessageHandler(sp => new SigV4SigningHandler(
            sp.GetRequiredService<IAwsCredentialsProvider>(), service,
            sp.GetRequiredService<AwsRegionProvider>(), sp.GetRequiredService<TimeProvider>()));
        // The signed request carries X-Amz-Security-Token: HttpClient's own loggers would put it in their log state.
        builder.LogCallsQuietly("AWS " + service.Name, showPath: true);
    }

    private static bool RunsCode(ResilienceContext context) => AwsRequestOptions.IsRunningCode(context.GetRequestMessage());

    /// <summary>Retry transport failures, attempt timeouts, 5xx, 429, and AWS throttling codes.</summary>
    internal static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException) return true;
        if (outcome.Exception is not null || outcome.Result is not { } response) return false;
        var status = response.StatusCode;
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests) return true;
        if (status != HttpStatusCode.BadRequest) return false;
        var code = ThrottleCodeFromHeaders(response) ?? await CodeFromBodyAsync(response, cancellationToken);
        return code is not null && AwsServiceException.IsRetryable(code, status);
    }

    private static string? ThrottleCodeFromHeaders(HttpResponseMessage response)
    {
        foreach (var name in new[] { "x-amzn-query-error", "x-amzn-ErrorType" })
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } v)
                return v.Split(';', ':')[0];
        return null;
    }

    private static async Task<string?> CodeFromBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // HttpClient has buffered the whole answer, so reading it here leaves it readable for the caller.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return AwsErrorParser.Parse(AwsService.Lambda, response.StatusCode, null, null, null, body).Code;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or ObjectDisposedException)
        {
            return null;
        }
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
