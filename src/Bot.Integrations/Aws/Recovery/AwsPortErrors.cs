using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws.Recovery;

/// <summary>AWS failures of the data ports in the domain's terms (<see cref="PortException"/>: a code, words, transient or not).</summary>
internal static class AwsPortErrors
{
    /// <summary>Codes that say "not now" but are not throttling of this call: a limit that only time lifts.</summary>
    private static readonly HashSet<string> PermanentLimits = new(StringComparer.Ordinal) { "LimitExceededException" };

    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AwsServiceException e)
        {
            var limit = PermanentLimits.Contains(e.Code);
            var transient = !limit && e.Kind is AwsErrorKind.Throttled or AwsErrorKind.ServiceUnavailable;
            var words = limit ? $"{e.Code}: {Workflows.Messages.PlainText.Bound(Workflows.Messages.PlainText.OneLine(e.AwsMessage?.Trim()), 200)}" : AwsErrorText.Reason(e);
            throw new PortException(e.Code, $"{e.Service}: {words}.", transient, e);
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
    }

    public static Task TranslateAsync(Func<Task> call) => TranslateAsync(async () => { await call(); return true; });
}
