using System.Diagnostics;
using System.Net;
using Bot.Workflows.Telemetry;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Bot.Integrations.Aws;

/// <summary>
/// Sends one AWS request and turns every way it can fail into one of our exceptions: any 2xx is success, as botocore
/// takes it (an operation documents one 2xx, e.g. PublishVersion's 201, but AWS may answer another, and the body is read
/// the same way); an error answer → <see cref="AwsServiceException"/>, a timeout → <see cref="AwsTimeoutException"/>,
/// no connection → <see cref="AwsUnreachableException"/>. Each call is a span and is counted by service, operation and outcome.
/// </summary>
internal static class AwsCall
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, AwsService service, string operation, HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        using var span = BotTelemetry.Source.StartActivity($"{service.IamPrefix}:{operation}", ActivityKind.Client);
        span?.SetTag("rpc.system", "aws-api");
        span?.SetTag("rpc.service", service.Name);
        span?.SetTag("rpc.method", operation);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await SendCheckedAsync(http, service, operation, request, cancellationToken);
        }
        catch (Exception e)
        {
            outcome = e switch
            {
                AwsServiceException aws => aws.Code,
                AwsTimeoutException => "timeout",
                AwsUnreachableException => "unreachable",
                OperationCanceledException => "cancelled",
                _ => e.GetType().Name,
            };
            span?.SetStatus(ActivityStatusCode.Error, outcome);
            if (outcome != "cancelled")
                BotTelemetry.AwsCallErrors.Add(1, new KeyValuePair<string, object?>("service", service.IamPrefix), new KeyValuePair<string, object?>("error", outcome));
            throw;
        }
        finally
        {
            BotTelemetry.AwsCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("service", service.IamPrefix),
                new KeyValuePair<string, object?>("operation", operation),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>Any 2xx (botocore: an answer below 300 is parsed as the operation's output).</summary>
    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static async Task<HttpResponseMessage> SendCheckedAsync(HttpClient http, AwsService service, string operation, HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new AwsTimeoutException(service.Name, operation, e.Timeout, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsTimeoutException(service.Name, operation, http.Timeout, e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsUnreachableException(service.Name, operation, e);
        }
        catch (BrokenCircuitException e)
        {
            throw new AwsUnreachableException(service.Name, operation, e);
        }

        if (IsSuccess(response.StatusCode)) return response;
        using (response)
        {
            throw await AwsErrorParser.ParseAsync(service, response, cancellationToken, operation);
        }
    }
}
