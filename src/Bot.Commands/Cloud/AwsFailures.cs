using Bot.Integrations.Aws;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;

namespace Bot.Commands.Cloud;

/// <summary>
/// Turns AWS failures into sentences for Slack: what went wrong and what to try. Never includes
/// stack traces, keys or tokens. AWS's own words (error codes and messages) are untrusted text and are escaped.
/// </summary>
public static class AwsFailures
{
    /// <summary>A short reason for a health line, e.g. "access denied (AccessDeniedException)".</summary>
    public static string? ShortReason(Exception e) => AwsErrorText.ShortReason(e);

    /// <summary>
    /// The user-facing exception for a failure while doing <paramref name="what"/>, or null when the
    /// failure is not an AWS one (the router then reports it with an error id).
    /// </summary>
    public static UserFacingException? ToUserFacing(Exception e, string what) => e switch
    {
        AwsCredentialsUnavailableException u => new UserFacingException(u.Message, u),
        AwsServiceException { Kind: AwsErrorKind.AccessDenied } s => new UserFacingException(
            $":no_entry: AWS denied access while {what} ({s.Service} {Code(s)}). The bot's IAM role needs {(s.IamAction is null ? "permission for this call" : $"`{s.IamAction}`")}; ask whoever runs the bot to add it to its IAM policy.", e),
        AwsServiceException { Kind: AwsErrorKind.ExpiredCredentials } s => new UserFacingException(
            $":hourglass: The bot's AWS credentials have expired ({s.Service} {Code(s)}). Whoever runs the bot should refresh them (e.g. `aws sso login` for the profile in `AWS_PROFILE`) and try again.", e),
        AwsServiceException { Kind: AwsErrorKind.InvalidCredentials } s => new UserFacingException(
            $":key: AWS did not accept the bot's credentials while {what} ({s.Service} {Code(s)}). Check `AWS_PROFILE` / `AWS_ACCESS_KEY_ID` for the bot.", e),
        AwsServiceException { Kind: AwsErrorKind.NotFound } s => new UserFacingException(
            $":mag: {s.Service} says it does not exist while {what} ({Code(s)}: {Trim(s.AwsMessage, 200)}). Check the name and the environment.", e),
        AwsServiceException { Kind: AwsErrorKind.Throttled } s => new UserFacingException(
            $":snail: AWS is throttling {s.Service} right now ({Code(s)}), even after retries. Try again in a minute.", e),
        AwsServiceException { Kind: AwsErrorKind.PreconditionFailed } s => new UserFacingException(
            $":twisted_rightwards_arrows: It changed while {what}: {s.Service} refused because it is no longer at the revision I read ({Code(s)}). Nothing was changed; look again and retry.", e),
        AwsServiceException { Kind: AwsErrorKind.Conflict } s => new UserFacingException(
            $":construction: {s.Service} is still busy with an earlier update while {what} ({Code(s)}: {Trim(s.AwsMessage, 200)}). Try again in a minute.", e),
        AwsServiceException { Kind: AwsErrorKind.InvalidRequest } s => new UserFacingException(
            $":warning: {s.Service} rejected the request while {what} ({Code(s)}: {Trim(s.AwsMessage, 200)}).", e),
        AwsServiceException s => new UserFacingException(
            $":x: {s.Service} failed while {what} ({Code(s)}: {Trim(s.AwsMessage, 200)}). Try again shortly.", e),
        AwsTimeoutException t => new UserFacingException(
            $":hourglass: {t.Service} did not answer in time while {what}. Try again, or narrow the request (e.g. a shorter `--since`).", e),
        AwsUnreachableException u => new UserFacingException(
            $":electric_plug: I could not reach {u.Service} while {what}. Check the bot's network access or `AWS_ENDPOINT_URL`.", e),
        _ => null,
    };

    private static string Code(AwsServiceException s) => SlackText.Code(s.Code, 100);

    /// <summary>Runs an AWS read and rethrows AWS failures as user-facing messages.</summary>
    public static async Task<T> Guard<T>(string what, Func<Task<T>> call)
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

    /// <summary>AWS text (a message, an alarm reason) for a Slack message: one line, at most <paramref name="max"/> characters, escaped.</summary>
    public static string Trim(string? text, int max) => SlackText.Echo(text?.Trim(), max);
}
