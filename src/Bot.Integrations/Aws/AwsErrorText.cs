using Bot.Integrations.Slack;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Aws;

/// <summary>AWS failures in a few words (AWS's own codes and messages are untrusted text).</summary>
public static class AwsErrorText
{
    /// <summary>A short reason, e.g. "access denied (AccessDeniedException)", as plain text (whoever shows it escapes it).</summary>
    public static string? Reason(Exception e) => e switch
    {
        AwsCredentialsUnavailableException => "no AWS credentials",
        AwsServiceException s => s.Kind switch
        {
            AwsErrorKind.AccessDenied => $"access denied ({s.Code})",
            AwsErrorKind.ExpiredCredentials => $"credentials expired ({s.Code})",
            AwsErrorKind.InvalidCredentials => $"credentials rejected ({s.Code})",
            AwsErrorKind.NotFound => $"not found ({s.Code})",
            AwsErrorKind.Throttled => $"throttled by AWS ({s.Code})",
            AwsErrorKind.ServiceUnavailable => $"{s.Service} is failing ({s.Code})",
            AwsErrorKind.PreconditionFailed => $"changed since it was read ({s.Code})",
            AwsErrorKind.Conflict => $"an update is still in progress ({s.Code})",
            _ => $"{s.Code}: {PlainText.Bound(PlainText.OneLine(s.AwsMessage?.Trim()), 120)}",
        },
        AwsTimeoutException t => $"{t.Service} did not answer in time",
        AwsUnreachableException u => $"{u.Service} could not be reached",
        TimeoutException => "did not answer in time",
        _ => null,
    };

    /// <summary><see cref="Reason"/> escaped for Slack mrkdwn.</summary>
    public static string? ShortReason(Exception e) => Reason(e) is { } reason ? SlackText.Escape(reason) : null;
}
