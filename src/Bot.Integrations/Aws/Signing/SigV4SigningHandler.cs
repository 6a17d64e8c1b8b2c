namespace Bot.Integrations.Aws.Signing;

/// <summary>
/// Signs each outgoing request with SigV4 for one service, as it will be sent: host (with a
/// non-default port), <c>x-amz-date</c> from <see cref="TimeProvider"/>, the session token when the
/// credentials carry one, and the SHA-256 of the body. It sits inside the retry handler, so every
/// attempt is signed afresh.
/// </summary>
public sealed class SigV4SigningHandler(
    IAwsCredentialsProvider credentials,
    AwsService service,
    AwsRegionProvider region,
    TimeProvider time) : DelegatingHandler
{
    // Headers that proxies or the HTTP stack may change; never signed.
    private static readonly HashSet<string> Unsigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "expect", "x-amzn-trace-id", "connection", "transfer-encoding", "content-length", "traceparent", "tracestate",
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute URI.");
        var keys = await credentials.GetAsync(cancellationToken);

        request.Headers.Authorization = null;
        request.Headers.Remove(SigV4Signer.AmzDateHeader);
        request.Headers.Remove(SigV4Signer.SecurityTokenHeader);
        request.Headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
            if (!Unsigned.Contains(name)) headers.Add(new(name, string.Join(',', values)));
        if (request.Content is not null)
            foreach (var (name, values) in request.Content.Headers)
                if (!Unsigned.Contains(name)) headers.Add(new(name, string.Join(',', values)));

        var signable = new SignableRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body);
        var signed = SigV4Signer.Sign(signable, keys, service.SigningRegion(region.Region), service.SigningName, time.GetUtcNow());

        request.Headers.TryAddWithoutValidation(SigV4Signer.AmzDateHeader, signed.AmzDate);
        if (!string.IsNullOrEmpty(keys.SessionToken))
            request.Headers.TryAddWithoutValidation(SigV4Signer.SecurityTokenHeader, keys.SessionToken);
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
        return await base.SendAsync(request, cancellationToken);
    }
}
