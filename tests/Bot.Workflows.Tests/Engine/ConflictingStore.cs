using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using System.Reflection;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Tests.Engine;

/// <summary>
/// A real store whose commits of aggregate changes can be made to lose the optimistic race every time (as if other
/// instances kept winning), for the engine's give-up path. Everything else goes to the real store.
/// </summary>
public class ConflictingStore : DispatchProxy
{
    private IWorkflowStore _inner = null!;
    private Func<bool> _conflict = () => false;

    public static IWorkflowStore Wrap(IWorkflowStore inner, Func<bool> conflict)
    {
        var proxy = Create<IWorkflowStore, ConflictingStore>();
        var self = (ConflictingStore)(object)proxy;
        self._inner = inner;
        self._conflict = conflict;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IWorkflowStore.CommitAsync) && args![0] is UnitOfWork { Aggregate: not null } && _conflict())
            return Task.FromException<Bot.Workflows.Audit.AuditRecord>(new ConcurrencyConflictException("another instance won"));
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
