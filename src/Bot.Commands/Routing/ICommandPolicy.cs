using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>
/// Decides whether a command may run where it was asked, before its handler runs (after the audit record is
/// written, so refused attempts are on the trail too). Register with <c>services.AddCommandPolicy&lt;T&gt;()</c>.
/// </summary>
public interface ICommandPolicy
{
    /// <summary>Null to let <paramref name="request"/> run; otherwise what to tell the person.</summary>
    Line? Refusal(CommandRequest request, CommandSpec spec);
}
