namespace Bot.Workflows.Ports;

/// <summary>
/// A capability (cloud, pager, directory) refused or failed, in the domain's terms: a provider code
/// (<c>PreconditionFailed</c>, <c>AccessDenied</c>, <c>Throttling</c>), a sentence a person understands, and whether
/// trying again later may help (throttling, 5xx, timeouts) or not.
/// </summary>
public class PortException(string code, string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
    public bool Transient { get; } = transient;
}
