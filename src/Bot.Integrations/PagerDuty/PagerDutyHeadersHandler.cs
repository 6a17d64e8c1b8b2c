namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Sets <c>Accept: application/vnd.pagerduty+json;version=2</c> on each REST request exactly as PagerDuty
/// documents it, just before the request goes on the wire (HttpClient's header parsing would re-format it as
/// <c>…; version=2</c>).
/// </summary>
internal sealed class PagerDutyHeadersHandler : DelegatingHandler
{
    public const string AcceptHeader = "application/vnd.pagerduty+json;version=2";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("Accept");
        request.Headers.TryAddWithoutValidation("Accept", AcceptHeader);
        return base.SendAsync(request, cancellationToken);
    }
}
