using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Protocols;

/// <summary>Writes an <see cref="AwsException"/> in the wire form of the protocol that raised it.</summary>
internal static class ErrorWriter
{
    /// <summary>CloudWatch's awsQueryError codes, sent in <c>x-amzn-query-error</c> by query-compatible JSON.</summary>
    private static readonly Dictionary<string, string> QueryCodes = new(StringComparer.Ordinal)
    {
        ["InvalidParameterValueException"] = "InvalidParameterValue",
        ["MissingRequiredParameterException"] = "MissingParameter",
        ["InvalidParameterCombinationException"] = "InvalidParameterCombination",
        ["InternalServiceFault"] = "InternalServiceError",
        ["ResourceNotFoundException"] = "ResourceNotFoundException",
        ["ResourceNotFound"] = "ResourceNotFound",
        ["LimitExceededException"] = "LimitExceeded",
    };

    /// <summary>The query protocol's own codes for the authentication failures (JSON protocols name them with an Exception suffix).</summary>
    private static readonly Dictionary<string, string> QueryAuthCodes = new(StringComparer.Ordinal)
    {
        ["AccessDeniedException"] = "AccessDenied",
        ["ExpiredTokenException"] = "ExpiredToken",
        ["MissingAuthenticationTokenException"] = "MissingAuthenticationToken",
        ["IncompleteSignatureException"] = "IncompleteSignature",
        ["InvalidSignatureException"] = "SignatureDoesNotMatch",
        ["UnknownOperationException"] = "InvalidAction",
        ["SerializationException"] = "MalformedQueryString",
    };

    /// <summary>An error in the query protocol: an XML <c>ErrorResponse</c> with the awsQueryError code and Sender or Receiver.</summary>
    public static Task WriteQueryAsync(HttpContext context, QueryShapes shapes, AwsException error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "text/xml";
        var code = QueryAuthCodes.GetValueOrDefault(error.Code) ?? QueryCodes.GetValueOrDefault(error.Code, error.Code);
        var requestId = response.Headers["x-amzn-RequestId"].ToString();
        return response.WriteAsync(QueryXmlWriter.Error(error.IsServerFault ? "Receiver" : "Sender", code, error.Message, requestId, shapes));
    }

    /// <summary>Lambda errors whose modeled message member is <c>Message</c> (the others use <c>message</c>).</summary>
    private static readonly HashSet<string> CapitalMessage = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "ServiceException", "UnknownOperationException", "AccessDeniedException",
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidSignatureException", "ExpiredTokenException",
    };

    public static Task WriteAsync(HttpContext context, WireProtocol protocol, string errorNamespace, AwsException error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        if (protocol == WireProtocol.RestJson)
        {
            response.ContentType = "application/json";
            response.Headers["x-amzn-ErrorType"] = error.Code;
            var body = new Dictionary<string, string>
            {
                ["Type"] = error.IsServerFault ? "Service" : "User",
                // Lambda's error shapes spell the member "Message" or "message", one or the other.
                [CapitalMessage.Contains(error.Code) ? "Message" : "message"] = error.Message,
            };
            if (error.Reason is { } reason) body["Reason"] = reason;
            if (error.Status == 429) response.Headers.RetryAfter = "1";
            return response.WriteAsync(JsonSerializer.Serialize(body, SandboxJson.Plain));
        }

        response.ContentType = protocol == WireProtocol.Json11 ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
        if (protocol == WireProtocol.QueryCompatibleJson10)
        {
            var code = QueryCodes.GetValueOrDefault(error.Code, error.Code);
            response.Headers["x-amzn-query-error"] = $"{code};{(error.IsServerFault ? "Receiver" : "Sender")}";
        }
        return response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["__type"] = errorNamespace + error.Code,
            ["message"] = error.Message,
        }, SandboxJson.Plain));
    }
}
