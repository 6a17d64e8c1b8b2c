namespace Bot.Integrations.Aws;

/// <summary>
/// Where to send a service's requests, in AWS's documented order: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>,
/// then <c>AWS_ENDPOINT_URL</c>, then the configured <see cref="AwsOptions.EndpointUrl"/>, then the
/// public endpoint <c>https://&lt;prefix&gt;.&lt;region&gt;.amazonaws.com</c> (a global service's one endpoint).
/// </summary>
public sealed class AwsEndpointResolver(Func<string, string?> variable, AwsOptions options, AwsRegionProvider region)
{
    public Uri Resolve(AwsService service)
    {
        var url = NonEmpty(variable("AWS_ENDPOINT_URL_" + service.EnvironmentId))
                  ?? NonEmpty(variable("AWS_ENDPOINT_URL"))
                  ?? NonEmpty(options.EndpointUrl);
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new InvalidOperationException($"The endpoint configured for {service.Name} is not an http(s) URL.");
            return uri;
        }
        if (service.GlobalEndpoint is { } global) return new Uri(global);
        var signingRegion = service.SigningRegion(region.Region);
        return new Uri($"https://{service.EndpointPrefix}.{signingRegion}.amazonaws.com/");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
