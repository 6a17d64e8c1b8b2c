namespace Bot.Sandbox.Account.Lambda;

/// <summary>
/// What one Invoke did: the HTTP status Lambda answers (200 for RequestResponse, 202 for Event, 204 for
/// DryRun), the version that ran, <c>Unhandled</c> when the function failed, the function's answer (or its
/// error object), and the log lines it wrote (START … REPORT).
/// </summary>
public sealed record Invocation(int StatusCode, string ExecutedVersion, string? FunctionError, byte[] Payload, string Log);
