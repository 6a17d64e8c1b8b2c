using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Sandbox.Protocols;

/// <summary>Serializer settings for response bodies: member names as declared, nulls left out.</summary>
internal static class SandboxJson
{
    /// <summary>For services whose members are PascalCase (DynamoDB, CloudWatch, Cost Explorer, Lambda).</summary>
    public static readonly JsonSerializerOptions Pascal = new()
    {
        PropertyNamingPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>For CloudWatch Logs, whose members are camelCase (<c>logGroupName</c>, <c>nextToken</c>).</summary>
    public static readonly JsonSerializerOptions Camel = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Plain JSON with AWS-like (unescaped) text, for nested JSON documents and error bodies.</summary>
    public static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Epoch seconds with millisecond precision, the JSON-protocol form of a <c>timestamp</c> shape.</summary>
    public static double EpochSeconds(DateTimeOffset t) => Math.Round(t.ToUnixTimeMilliseconds() / 1000.0, 3);
}
