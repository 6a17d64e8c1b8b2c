using Bot.Workflows.Storage;

namespace Bot.Workflows.Engine;

/// <summary>How to rebuild one kind of aggregate from its stored record.</summary>
public interface IWorkflowDefinition
{
    string AggregateType { get; }
    IWorkflow Restore(AggregateRecord record);
}

/// <summary>A definition from a factory that makes a blank aggregate for an id.</summary>
public sealed class WorkflowDefinition<T>(string aggregateType, Func<string, T> blank) : IWorkflowDefinition
    where T : IWorkflow
{
    public string AggregateType { get; } = aggregateType;

    public IWorkflow Restore(AggregateRecord record)
    {
        var aggregate = blank(record.AggregateId);
        aggregate.Restore(record);
        return aggregate;
    }
}

/// <summary>The definitions the engine knows, by aggregate type.</summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, IWorkflowDefinition> _definitions = new(StringComparer.Ordinal);

    public WorkflowRegistry(IEnumerable<IWorkflowDefinition> definitions)
    {
        foreach (var d in definitions)
        {
            if (!_definitions.TryAdd(d.AggregateType, d))
                throw new InvalidOperationException($"Two workflow definitions claim the aggregate type '{d.AggregateType}'.");
        }
    }

    public bool TryGet(string aggregateType, out IWorkflowDefinition definition) =>
        _definitions.TryGetValue(aggregateType, out definition!);
}
