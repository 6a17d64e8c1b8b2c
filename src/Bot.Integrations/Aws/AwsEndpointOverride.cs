namespace Bot.Integrations.Aws;

/// <summary>
/// Sends every AWS client to one endpoint known only at run time (the in-process sandbox account,
/// whose port is picked when it starts). Register one to override <see cref="AwsEndpointResolver"/>.
/// </summary>
public interface IAwsEndpointOverride
{
    ValueTask<Uri> GetEndpointAsync(CancellationToken cancellationToken);
}

/// <summary>Rewrites each request to the overriding endpoint (same path and query) before it is signed.</summary>
public sealed class EndpointOverrideHandler(IAwsEndpointOverride endpoint) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = await endpoint.GetEndpointAsync(cancellationToken);
        if (request.RequestUri is { } uri)
            request.RequestUri = new Uri(target, uri.PathAndQuery);
        return await base.SendAsync(request, cancellationToken);
    }
}
