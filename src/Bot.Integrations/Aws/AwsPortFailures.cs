using Bot.Integrations.Aws.Lambda;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws;

/// <summary>
/// AWS failures in the domain's terms (<see cref="PortException"/>): a code, a sentence, and whether trying again may help
/// (throttling, 5xx, timeouts, an update still in progress). Every adapter and activity handler over our AWS clients uses it.
/// </summary>
public static class AwsPortFailures
{
    /// <summary>Runs <paramref name="call"/>; AWS failures come out as <see cref="PortException"/>s.</summary>
    public static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AwsServiceException e)
        {
            var transient = e.Kind is AwsErrorKind.Throttled or AwsErrorKind.ServiceUnavailable or AwsErrorKind.Conflict;
            var words = e.Service.Equals("lambda", StringComparison.OrdinalIgnoreCase) ? LambdaErrors.Explain(e) : $"{e.Service}: {AwsErrorText.ShortReason(e)}";
            throw new PortException(e.Kind == AwsErrorKind.Other ? e.Code : e.Kind.ToString(), words + ".", transient, e);
        }
        catch (AwsTimeoutException e)
        {
            throw new PortException("Timeout", $"{e.Service} did not answer in time.", transient: true, e);
        }
        catch (AwsUnreachableException e)
        {
            throw new PortException("Unreachable", $"{e.Service} could not be reached.", transient: true, e);
        }
        catch (AwsCredentialsUnavailableException e)
        {
            throw new PortException("NoCredentials", "the bot has no AWS credentials.", transient: false, e);
        }
        catch (LambdaUpdateFailedException e) when (e.Status == "InProgress")
        {
            throw new PortException("UpdateInProgress", e.Message, transient: true, e);
        }
        catch (LambdaUpdateFailedException e)
        {
            throw new PortException("UpdateFailed", e.Message, transient: false, e);
        }
    }

}
