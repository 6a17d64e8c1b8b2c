namespace Bot.Sandbox.Protocols;

/// <summary>The AWS wire protocols the sandbox speaks.</summary>
public enum WireProtocol
{
    /// <summary>AWS JSON 1.0 (DynamoDB).</summary>
    Json10,
    /// <summary>AWS JSON 1.1 (CloudWatch Logs, Cost Explorer).</summary>
    Json11,
    /// <summary>AWS JSON 1.0 with <c>awsQueryCompatible</c> (CloudWatch): errors also carry <c>x-amzn-query-error</c>.</summary>
    QueryCompatibleJson10,
    /// <summary>REST-JSON (Lambda).</summary>
    RestJson,
    /// <summary>The AWS query protocol (CloudWatch's older form): form-encoded <c>Action=…</c>, XML answers.</summary>
    Query,
    /// <summary>REST-XML (S3): the operation in method, path and query, XML answers and errors.</summary>
    RestXml,
}

/// <summary>One operation of one service, as identified from the request.</summary>
/// <param name="SigningName">The SigV4 signing name the credential scope must carry (e.g. <c>monitoring</c>).</param>
/// <param name="Name">The operation name, e.g. <c>DescribeTable</c>.</param>
public sealed record SandboxOperation(string SigningName, string Name, WireProtocol Protocol)
{
    public string ContentType => Protocol switch
    {
        WireProtocol.Json10 or WireProtocol.QueryCompatibleJson10 => "application/x-amz-json-1.0",
        WireProtocol.Json11 => "application/x-amz-json-1.1",
        WireProtocol.Query => "text/xml",
        WireProtocol.RestXml => "application/xml",
        _ => "application/json",
    };
}
