using System.Net;
using Refit;

namespace Bot.Integrations.PagerDuty;

/// <summary>What both PagerDuty clients do with a call: transport failures and error answers become <see cref="PagerDutyApiException"/>s.</summary>
internal static class PagerDutyTransport
{
    /// <summary>Runs the call; network failures and timeouts (after the retries below) become transient errors.</summary>
    public static async Task<T> Send<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new PagerDutyApiException(operation, PagerDutyErrorKind.Unreachable,
                $"Could not reach PagerDuty to {operation}; check the bot's network access and PagerDuty__ApiBaseUrl / PagerDuty__EventsBaseUrl.", transient: true, inner: e);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new PagerDutyApiException(operation, PagerDutyErrorKind.Timeout, $"PagerDuty did not answer in time to {operation}; try again.", transient: true, inner: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PagerDutyApiException(operation, PagerDutyErrorKind.Timeout, $"PagerDuty did not answer in time to {operation}; try again.", transient: true, inner: e);
        }
    }

    /// <summary>The content of a 2xx answer, or the matching exception.</summary>
    public static T Checked<T>(string operation, IApiResponse<T> response, TimeProvider time)
    {
        var status = response.StatusCode ?? 0;
        if (status == HttpStatusCode.TooManyRequests)
            throw new PagerDutyRateLimitedException(operation, PagerDutyErrors.RetryAfter(response.Headers, time));
        if (!response.IsSuccessStatusCode)
            throw PagerDutyErrors.FromResponse(operation, status, ErrorContent(response));
        if (response.Error is not null || response.Content is null)
            throw new PagerDutyApiException(operation, PagerDutyErrorKind.Other, $"PagerDuty's answer to {operation} could not be read.", (int)status, inner: response.Error);
        return response.Content;
    }

    /// <summary>The body of an error answer, if any.</summary>
    public static string? ErrorContent(IApiResponse response) => (response.Error as ApiException)?.Content;
}
