using Bot.Integrations.Slack;

namespace Bot.Integrations.Aws;

/// <summary>AWS failures in a few words (AWS's own codes and messages are untrusted text and are escaped).</summary>
public static class AwsErrorText
{
    /// <summary>A short reason for a health line, e.g. "access denied (AccessDeniedException)".</summary>
    public static string? ShortReason(Exception e) => e switch
    {
        AwsCredentialsUnavailableException => "no AWS credentials",
        AwsServiceException s => s.Kind switch
        {
            AwsErrorKind.AccessDenied => $"access denied ({SlackText.Escape(s.Code)})",
            AwsErrorKind.ExpiredCredentials => $"credentials expired ({SlackText.Escape(s.Code)})",
            AwsErrorKind.InvalidCredentials => $"credentials rejected ({SlackText.Escape(s.Code)})",
            AwsErrorKind.NotFound => $"not found ({SlackText.Escape(s.Code)})",
            AwsErrorKind.Throttled => $"throttled by AWS ({SlackText.Escape(s.Code)})",
            AwsErrorKind.ServiceUnavailable => $"{s.Service} is failing ({SlackText.Escape(s.Code)})",
            AwsErrorKind.PreconditionFailed => $"changed since it was read ({SlackText.Escape(s.Code)})",
            AwsErrorKind.Conflict => $"an update is still in progress ({SlackText.Escape(s.Code)})",
            _ => $"{SlackText.Escape(s.Code)}: {SlackText.Echo(s.AwsMessage?.Trim(), 120)}",
        },
        AwsTimeoutException t => $"{t.Service} did not answer in time",
        AwsUnreachableException u => $"{u.Service} could not be reached",
        TimeoutException => "did not answer in time",
        _ => null,
    };

}
