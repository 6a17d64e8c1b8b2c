namespace Bot.Commands.Routing;

/// <summary>
/// Sees every <c>/sb</c> request before its handler runs, whichever transport brought it (the audit
/// trail records commands this way). Register with <c>services.AddCommandObserver&lt;T&gt;()</c>.
/// An observer that throws is logged and the command still runs.
/// </summary>
public interface ICommandObserver
{
    Task OnCommandAsync(CommandRequest request, CancellationToken cancellationToken);
}
