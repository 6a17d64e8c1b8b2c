using System.Net;
using System.Text.Json;

namespace Bot.Integrations.Aws;

/// <summary>
/// Reads an AWS error answer into an <see cref="AwsServiceException"/>. The code comes from, in
/// order: <c>x-amzn-query-error</c> (query-compatible services such as CloudWatch,
/// <c>Code;Sender</c>), <c>x-amzn-ErrorType</c> (<c>Code:uri</c>), the body's <c>__type</c>
/// (namespace before <c>#</c> dropped), the body's <c>code</c> (or, from a query-protocol service such as IAM, the XML
/// <c>ErrorResponse/Error/Code</c>), and last the HTTP status.
/// </summary>
public static class AwsErrorParser
{
    public static async Task<AwsServiceException> ParseAsync(AwsService service, HttpResponseMessage response, CancellationToken cancellationToken, string? operation = null)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            body = "";
        }
        return Parse(service, response.StatusCode, Header(response, "x-amzn-query-error"), Header(response, "x-amzn-ErrorType"),
            Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id"), body, operation);
    }

    public static AwsServiceException Parse(AwsService service, HttpStatusCode status, string? queryError, string? errorType, string? requestId, string body, string? operation = null)
    {
        string? typeFromBody = null, codeFromBody = null, message = null, reason = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        if (p.Value.ValueKind != JsonValueKind.String) continue;
                        switch (p.Name)
                        {
                            case "__type": typeFromBody = p.Value.GetString(); break;
                            case "code" or "Code": codeFromBody = p.Value.GetString(); break;
                            case "message" or "Message" or "errorMessage": message ??= p.Value.GetString(); break;
                            case "Reason": reason = p.Value.GetString(); break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: the query protocol's XML, or a proxy's HTML page (then the headers and status).
                (codeFromBody, message, var xmlRequestId) = FromXml(body);
                requestId ??= xmlRequestId;
            }
        }

        var code = Before(queryError, ';') ?? CleanType(errorType) ?? CleanType(typeFromBody) ?? CleanType(codeFromBody) ?? StatusCode(status);
        return new AwsServiceException(service.Name, code, message ?? ReasonFor(status), status, requestId)
        {
            IamAction = operation is null ? null : IamAction(service, operation),
            Reason = reason,
        };
    }

    /// <summary>The IAM action of an operation: its name, except Lambda's Invoke, which IAM calls <c>lambda:InvokeFunction</c>.</summary>
    public static string IamAction(AwsService service, string operation) =>
        $"{service.IamPrefix}:{(service == AwsService.Lambda && operation == "Invoke" ? "InvokeFunction" : operation)}";

    /// <summary>The query protocol's <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c> (nulls when it is not that).</summary>
    private static (string? Code, string? Message, string? RequestId) FromXml(string body)
    {
        if (!body.TrimStart().StartsWith('<')) return (null, null, null);
        try
        {
            var root = QueryXml.Parse(body).Root;
            var error = root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Error") ?? root;
            string? Child(System.Xml.Linq.XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            return (Child(error, "Code"), Child(error, "Message"), Child(root, "RequestId"));
        }
        catch (System.Xml.XmlException)
        {
            return (null, null, null);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Before(string? value, char separator)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var i = value.IndexOf(separator);
        return NonEmpty(i < 0 ? value : value[..i]);
    }

    /// <summary><c>namespace#Code:uri</c> → <c>Code</c>.</summary>
    private static string? CleanType(string? type)
    {
        type = Before(type, ':');
        if (type is null) return null;
        var hash = type.LastIndexOf('#');
        return NonEmpty(hash >= 0 ? type[(hash + 1)..] : type);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string StatusCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Forbidden => "AccessDenied",
        HttpStatusCode.NotFound => "ResourceNotFound",
        HttpStatusCode.TooManyRequests => "Throttling",
        _ => "Http" + (int)status,
    };

    private static string ReasonFor(HttpStatusCode status) => $"HTTP {(int)status} {status}";
}
