using System.Text.Json;

namespace Bot.Sandbox.Protocols;

/// <summary>A service spoken in the AWS JSON protocol: <c>POST /</c> with <c>X-Amz-Target: prefix.Operation</c>.</summary>
internal interface IJsonService
{
    string TargetPrefix { get; }
    string SigningName { get; }
    WireProtocol Protocol { get; }

    /// <summary>Prefix of <c>__type</c> in errors (e.g. <c>com.amazonaws.dynamodb.v20120810#</c>), or empty.</summary>
    string ErrorNamespace { get; }

    /// <summary>The error code for a missing or invalid member (ValidationException, InvalidParameterException, …).</summary>
    string ValidationCode { get; }

    JsonSerializerOptions Json { get; }

    bool Supports(string operation);

    /// <summary>Runs the operation; throws <see cref="AwsException"/> for error answers.</summary>
    object Invoke(string operation, JsonInput input);
}
