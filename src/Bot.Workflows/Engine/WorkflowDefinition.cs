using Bot.Workflows.Storage;

namespace Bot.Workflows.Engine;

/// <summary>How to rebuild one kind of aggregate from its stored record.</summary>
public interface IWorkflowDefinition
{
    string AggregateType { get; }
    /// <summary>The trigger names of this kind of aggregate.</summary>
    IReadOnlyCollection<string> Triggers { get; }
    IWorkflow Restore(AggregateRecord record);
}

/// <summary>A definition from a factory that makes a blank aggregate for an id.</summary>
public sealed class WorkflowDefinition<T>(string aggregateType, Func<string, T> blank) : IWorkflowDefinition
    where T : IWorkflow
{
    public string AggregateType { get; } = aggregateType;

    public IReadOnlyCollection<string> Triggers { get; } = blank("definition").Triggers;

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

    public IReadOnlyCollection<IWorkflowDefinition> Definitions => _definitions.Values;

    public bool TryGet(string aggregateType, out IWorkflowDefinition definition) =>
        _definitions.TryGetValue(aggregateType, out definition!);

    /// <summary>True when <paramref name="trigger"/> is a trigger of <paramref name="aggregateType"/> (checks a button before it fires).</summary>
    public bool Knows(string aggregateType, string trigger) =>
        _definitions.TryGetValue(aggregateType, out var d) && d.Triggers.Contains(trigger, StringComparer.Ordinal);
}
