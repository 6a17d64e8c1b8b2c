using Microsoft.Extensions.Options;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Sends the PagerDuty clients to base URLs known only at run time (the in-process sandbox, whose port is
/// picked when it starts). Register one to override <c>PagerDuty__ApiBaseUrl</c> and <c>PagerDuty__EventsBaseUrl</c>.
/// </summary>
public interface IPagerDutyEndpointOverride
{
    /// <summary>The REST API and Events API base URLs, each ending in <c>/</c>.</summary>
    ValueTask<(Uri Api, Uri Events)> GetBaseUrlsAsync(CancellationToken cancellationToken);
}

/// <summary>Moves each request from the configured base URL to the overriding one (same relative path and query).</summary>
internal sealed class PagerDutyEndpointOverrideHandler(IPagerDutyEndpointOverride? endpoint, IOptionsMonitor<PagerDutyOptions> options, bool events) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (endpoint is not null && request.RequestUri is { } uri)
        {
            var current = options.CurrentValue;
            var configured = events
                ? PagerDutyOptions.BaseAddress(current.EventsBaseUrl, PagerDutyOptions.DefaultEventsBaseUrl)
                : PagerDutyOptions.BaseAddress(current.ApiBaseUrl, PagerDutyOptions.DefaultApiBaseUrl);
            var (api, eventsBase) = await endpoint.GetBaseUrlsAsync(cancellationToken);
            var relative = configured.MakeRelativeUri(uri).OriginalString;
            request.RequestUri = new Uri(events ? eventsBase : api, relative);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
