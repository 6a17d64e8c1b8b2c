using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Bot.Commands.Aws;

/// <summary>
/// Sends one AWS request and turns every way it can fail into one of our exceptions:
/// an error answer → <see cref="AwsServiceException"/>, a timeout → <see cref="AwsTimeoutException"/>,
/// no connection → <see cref="AwsUnreachableException"/>.
/// </summary>
internal static class AwsCall
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, AwsService service, string operation, HttpRequestMessage request,
        HttpStatusCode[] success, CancellationToken cancellationToken)
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

        if (success.Contains(response.StatusCode)) return response;
        using (response)
        {
            throw await AwsErrorParser.ParseAsync(service, response, cancellationToken, operation);
        }
    }
}
