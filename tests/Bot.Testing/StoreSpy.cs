using System.Collections.Concurrent;
using System.Reflection;
using Bot.Workflows.Storage;

namespace Bot.Testing;

/// <summary>
/// The real store with every call counted by method name (and an optional hook run before each call): tests that
/// must see what an instance reads and writes, and when.
/// </summary>
public class StoreSpy : DispatchProxy
{
    private IWorkflowStore _inner = null!;
    private Action<MethodInfo>? _before;

    /// <summary>Calls so far, by method name.</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public int Count(string method) => Calls.GetValueOrDefault(method);

    /// <summary>Calls that have finished (their task completed, however), by method name.</summary>
    public ConcurrentDictionary<string, int> Finished { get; } = new();

    public int CountFinished(string method) => Finished.GetValueOrDefault(method);

    public int Total => Calls.Values.Sum();

    public static (IWorkflowStore Store, StoreSpy Spy) Wrap(IWorkflowStore inner, Action<MethodInfo>? before = null)
    {
        var proxy = Create<IWorkflowStore, StoreSpy>();
        var spy = (StoreSpy)(object)proxy;
        spy._inner = inner;
        spy._before = before;
        return (proxy, spy);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.AddOrUpdate(targetMethod!.Name, 1, (_, n) => n + 1);
        _before?.Invoke(targetMethod);
        try
        {
            var result = targetMethod.Invoke(_inner, args);
            if (result is Task task) _ = task.ContinueWith(_ => Finished.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1), TaskScheduler.Default);
            else Finished.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1);
            return result;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
