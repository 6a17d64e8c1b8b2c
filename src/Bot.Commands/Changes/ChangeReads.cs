using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Changes;

/// <summary>Reads the live state a change request is built from, answering failures in words.</summary>
public static class ChangeReads
{
    public static async Task<T> ReadAsync<T>(Line what, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (PortException e)
        {
            throw new UserFacingException(Line.Of(Emoji("warning"), " I could not read ", what, $": {e.Message} Nothing was requested."));
        }
    }

    /// <summary>A published version by number; a clear answer for <c>$LATEST</c>, garbage or a version that does not exist.</summary>
    public static async Task<VersionInfo> VersionAsync(ICloud cloud, string function, string version, CancellationToken cancellationToken)
    {
        version = version.Trim().TrimStart('v', 'V');
        if (version == "$LATEST" || version.Equals("latest", StringComparison.OrdinalIgnoreCase))
            throw new UsageException(Line.Of(Code("$LATEST"), " is not a published version: use ", Code("--publish"), " to publish it first, so the approval binds to fixed code."));
        if (version.Length is 0 or > 10 || !version.All(char.IsAsciiDigit))
            throw new UsageException(Line.Of("The version is a published version number, e.g. ", Code("8"), "."));
        try
        {
            return await cloud.GetVersionAsync(function, version, cancellationToken);
        }
        catch (PortException e) when (e.Code is "NotFound")
        {
            throw new UserFacingException(Line.Of(Emoji("mag"), " ", Code(function), $" has no published version {version}. ", Code($"/sb deploy {function} --publish"),
                " publishes what ", Code("$LATEST"), " holds."));
        }
        catch (PortException e)
        {
            throw new UserFacingException(Line.Of(Emoji("warning"), $" I could not read version {version} of ", Code(function), $": {e.Message} Nothing was requested."));
        }
    }
}
