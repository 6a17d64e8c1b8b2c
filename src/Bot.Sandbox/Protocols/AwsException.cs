namespace Bot.Sandbox.Protocols;

/// <summary>
/// An AWS error answer: the modeled error code (e.g. <c>ResourceNotFoundException</c>), its message and
/// HTTP status. The protocol writer turns it into the wire form of the service that raised it.
/// </summary>
public sealed class AwsException : Exception
{
    public AwsException(string code, string message, int status = 400) : base(message)
    {
        Code = code;
        Status = status;
    }

    public string Code { get; }
    public int Status { get; }

    /// <summary>Lambda's <c>Reason</c> member of TooManyRequestsException (e.g. <c>ReservedFunctionConcurrentInvocationLimitExceeded</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>True for 5xx answers (the service's fault, not the caller's).</summary>
    public bool IsServerFault => Status >= 500;
}
