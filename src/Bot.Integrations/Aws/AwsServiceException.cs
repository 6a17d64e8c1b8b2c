using System.Net;

namespace Bot.Integrations.Aws;

/// <summary>What kind of AWS failure this is, so commands can say what to do about it.</summary>
public enum AwsErrorKind
{
    Other,
    AccessDenied,
    ExpiredCredentials,
    InvalidCredentials,
    NotFound,
    Throttled,
    InvalidRequest,
    ServiceUnavailable,
    /// <summary>A precondition (Lambda's <c>RevisionId</c>) no longer holds: the resource changed since it was read (412).</summary>
    PreconditionFailed,
    /// <summary>The resource is busy, e.g. a Lambda update is still in progress (409 ResourceConflictException).</summary>
    Conflict,
}

/// <summary>An error answer from an AWS service, with AWS's error code.</summary>
public class AwsServiceException(string service, string code, string message, HttpStatusCode statusCode, string? requestId)
    : Exception($"{service} {code}: {message}")
{
    public string Service { get; } = service;
    public string Code { get; } = code;
    public string AwsMessage { get; } = message;
    public HttpStatusCode StatusCode { get; } = statusCode;
    public string? RequestId { get; } = requestId;
    public AwsErrorKind Kind { get; } = Classify(code, statusCode);
    /// <summary>Lambda's <c>Reason</c> for a TooManyRequestsException (e.g. <c>ReservedFunctionConcurrentInvocationLimitExceeded</c>), when sent.</summary>
    public string? Reason { get; init; }
    /// <summary>The IAM action of the failed call (e.g. <c>logs:FilterLogEvents</c>), when known.</summary>
    public string? IamAction { get; init; }

    public static AwsErrorKind Classify(string code, HttpStatusCode status) => code switch
    {
        "AccessDeniedException" or "AccessDenied" or "UnauthorizedOperation" or "UnauthorizedException" or "AuthorizationError"
            => AwsErrorKind.AccessDenied,
        "ExpiredToken" or "ExpiredTokenException" or "RequestExpired" or "TokenRefreshRequired"
            => AwsErrorKind.ExpiredCredentials,
        "UnrecognizedClientException" or "InvalidClientTokenId" or "InvalidSignatureException" or "SignatureDoesNotMatch"
            or "IncompleteSignature" or "MissingAuthenticationToken" or "InvalidAccessKeyId"
            => AwsErrorKind.InvalidCredentials,
        "ResourceNotFoundException" or "ResourceNotFound" or "NotFoundException" or "DataNotAvailableException"
            or "ProvisionedConcurrencyConfigNotFoundException" or "NoSuchEntity" or "TableNotFoundException" or "ExportNotFoundException"
            => AwsErrorKind.NotFound,
        "PreconditionFailedException" or "PreconditionFailed"
            => AwsErrorKind.PreconditionFailed,
        "ResourceConflictException" or "ResourceInUseException" or "ConflictException"
            => AwsErrorKind.Conflict,
        "ThrottlingException" or "Throttling" or "TooManyRequestsException" or "ProvisionedThroughputExceededException"
            or "RequestLimitExceeded" or "RequestThrottled" or "RequestThrottledException" or "LimitExceededException"
            or "SlowDown" or "PriorRequestNotComplete" or "TransactionInProgressException"
            => AwsErrorKind.Throttled,
        "ValidationException" or "ValidationError" or "InvalidParameterValueException" or "InvalidParameterValue"
            or "InvalidParameterException" or "InvalidParameterCombination" or "SerializationException"
            or "InvalidNextToken" or "InvalidNextTokenException" or "MissingParameter" or "MalformedQueryException"
            or "BillExpirationException" or "RequestChangedException" or "InvalidRequestContentException" or "RequestTooLargeException"
            or "UnsupportedMediaTypeException" or "InvalidRequestException" or "PointInTimeRecoveryUnavailableException"
            => AwsErrorKind.InvalidRequest,
        "ServiceUnavailable" or "ServiceUnavailableException" or "InternalFailure" or "InternalServerError"
            or "InternalServiceError" or "ServiceException" or "InternalError"
            => AwsErrorKind.ServiceUnavailable,
        _ when status == HttpStatusCode.TooManyRequests => AwsErrorKind.Throttled,
        _ when status == HttpStatusCode.Forbidden => AwsErrorKind.AccessDenied,
        _ when status == HttpStatusCode.NotFound => AwsErrorKind.NotFound,
        _ when status == HttpStatusCode.PreconditionFailed => AwsErrorKind.PreconditionFailed,
        _ when status == HttpStatusCode.Conflict => AwsErrorKind.Conflict,
        _ when (int)status >= 500 => AwsErrorKind.ServiceUnavailable,
        _ => AwsErrorKind.Other,
    };

    /// <summary>Codes worth retrying with backoff (besides 5xx and 429).</summary>
    public static bool IsRetryable(string code, HttpStatusCode status) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests || Classify(code, status) == AwsErrorKind.Throttled;
}

/// <summary>An AWS call did not answer in time (after its retries).</summary>
public sealed class AwsTimeoutException(string service, string operation, TimeSpan after, Exception? inner = null)
    : Exception($"{service} {operation} did not answer within {after.TotalSeconds:0.#} s", inner)
{
    public string Service { get; } = service;
    public string Operation { get; } = operation;
}

/// <summary>The service could not be reached at all (connection refused, DNS, TLS, open circuit).</summary>
public sealed class AwsUnreachableException(string service, string operation, Exception inner)
    : Exception($"{service} {operation} could not be reached: {inner.Message}", inner)
{
    public string Service { get; } = service;
    public string Operation { get; } = operation;
}
