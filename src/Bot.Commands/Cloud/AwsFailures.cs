using Bot.Integrations.Aws;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud;

/// <summary>
/// Turns AWS failures into sentences: what went wrong and what to try. Never includes stack traces, keys or tokens.
/// AWS's own words (error codes and messages) are untrusted text: they go in as text and code spans, which every
/// transport escapes.
/// </summary>
public static class AwsFailures
{
    /// <summary>A short reason for a health line, e.g. "access denied (AccessDeniedException)", as plain text.</summary>
    public static string? ShortReason(Exception e) => AwsErrorText.Reason(e);

    /// <summary>
    /// The user-facing exception for a failure while doing <paramref name="what"/>, or null when the
    /// failure is not an AWS one (the router then reports it with an error id).
    /// </summary>
    public static UserFacingException? ToUserFacing(Exception e, Line what) => e switch
    {
        AwsCredentialsUnavailableException u => new UserFacingException(u.Text, u),
        AwsServiceException { Kind: AwsErrorKind.AccessDenied } s => new UserFacingException(Line.Of(
            Emoji("no_entry"), " AWS denied access while ", what, $" ({s.Service} ", ErrorCode(s), "). The bot's IAM role needs ",
            s.IamAction is null ? "permission for this call" : Code(s.IamAction), "; ask whoever runs the bot to add it to its IAM policy."), e),
        AwsServiceException { Kind: AwsErrorKind.ExpiredCredentials } s => new UserFacingException(Line.Of(
            Emoji("hourglass"), $" The bot's AWS credentials have expired ({s.Service} ", ErrorCode(s), "). Whoever runs the bot should refresh them (e.g. ",
            Code("aws sso login"), " for the profile in ", Code("AWS_PROFILE"), ") and try again."), e),
        AwsServiceException { Kind: AwsErrorKind.InvalidCredentials } s => new UserFacingException(Line.Of(
            Emoji("key"), " AWS did not accept the bot's credentials while ", what, $" ({s.Service} ", ErrorCode(s), "). Check ", Code("AWS_PROFILE"),
            " / ", Code("AWS_ACCESS_KEY_ID"), " for the bot."), e),
        AwsServiceException { Kind: AwsErrorKind.NotFound } s => new UserFacingException(Line.Of(
            Emoji("mag"), $" {s.Service} says it does not exist while ", what, " (", ErrorCode(s), ": ", Trim(s.AwsMessage, 200), "). Check the name and the environment."), e),
        AwsServiceException { Kind: AwsErrorKind.Throttled } s => new UserFacingException(Line.Of(
            Emoji("snail"), $" AWS is throttling {s.Service} right now (", ErrorCode(s), "), even after retries. Try again in a minute."), e),
        AwsServiceException { Kind: AwsErrorKind.PreconditionFailed } s => new UserFacingException(Line.Of(
            Emoji("twisted_rightwards_arrows"), " It changed while ", what, $": {s.Service} refused because it is no longer at the revision I read (", ErrorCode(s),
            "). Nothing was changed; look again and retry."), e),
        AwsServiceException { Kind: AwsErrorKind.Conflict } s => new UserFacingException(Line.Of(
            Emoji("construction"), $" {s.Service} is still busy with an earlier update while ", what, " (", ErrorCode(s), ": ", Trim(s.AwsMessage, 200), "). Try again in a minute."), e),
        AwsServiceException { Kind: AwsErrorKind.InvalidRequest } s => new UserFacingException(Line.Of(
            Emoji("warning"), $" {s.Service} rejected the request while ", what, " (", ErrorCode(s), ": ", Trim(s.AwsMessage, 200), ")."), e),
        AwsServiceException s => new UserFacingException(Line.Of(
            Emoji("x"), $" {s.Service} failed while ", what, " (", ErrorCode(s), ": ", Trim(s.AwsMessage, 200), "). Try again shortly."), e),
        AwsTimeoutException t => new UserFacingException(Line.Of(
            Emoji("hourglass"), $" {t.Service} did not answer in time while ", what, ". Try again, or narrow the request (e.g. a shorter ", Code("--since"), ")."), e),
        AwsUnreachableException u => new UserFacingException(Line.Of(
            Emoji("electric_plug"), $" I could not reach {u.Service} while ", what, ". Check the bot's network access or ", Code("AWS_ENDPOINT_URL"), "."), e),
        _ => null,
    };

    private static CodeSpan ErrorCode(AwsServiceException s) => Value(s.Code, 100);

    /// <summary>Runs an AWS read and rethrows AWS failures as user-facing messages.</summary>
    public static async Task<T> Guard<T>(Line what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (ToUserFacing(e, what) is { } friendly && e is not UserFacingException)
        {
            throw friendly;
        }
    }

    /// <summary>AWS text (a message, an alarm reason): one line, at most <paramref name="max"/> characters.</summary>
    public static TextSpan Trim(string? text, int max) => Echo(text?.Trim(), max);
}
