namespace Bot.Commands.Routing;

/// <summary>
/// A step every <c>/sb</c> request passes in the work half, around its handler, whichever transport brought it (HTTP,
/// Socket Mode, the shell, a command button). Steps run in the order they are registered
/// (<c>services.AddCommandMiddleware&lt;T&gt;()</c>): the audit record first, so refused attempts are on the trail too,
/// then the role check. A step calls <c>next</c> to go on, or answers and returns an outcome to stop the request there.
/// A turn answered in the ack still passes every step, with a <c>next</c> that does nothing.
/// </summary>
public interface ICommandMiddleware
{
    Task<string> InvokeAsync(CommandTurn turn, IReplyChannel? reply, Func<Task<string>> next, CancellationToken cancellationToken);
}
