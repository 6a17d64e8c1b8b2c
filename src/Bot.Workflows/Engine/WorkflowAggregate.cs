using System.Globalization;
using System.Text.Json;
using Bot.Workflows.Storage;
using Stateless;
using Stateless.Graph;

namespace Bot.Workflows.Engine;

/// <summary>Who last moved the aggregate, with which trigger, and when (kept with the record for refusal messages).</summary>
public sealed record LastTransition(string Trigger, string ActorId, string ActorName, DateTimeOffset At, string From, string To);

/// <summary>
/// Base for an aggregate with a Stateless machine inside (the BugTracker pattern): the state lives on
/// the aggregate and is stored outside the machine, the machine is rebuilt on every load, every trigger
/// carries a <see cref="FireContext"/> (the acting user, the time), guards carry descriptions that a
/// refused user reads, and entry actions only <em>record</em> effects (<see cref="Send"/>,
/// <see cref="SetTimer"/>, <see cref="CancelTimer"/>, <see cref="AuditDetail"/>). Nothing leaves the
/// process until the engine has saved the transition.
/// </summary>
public abstract class WorkflowAggregate<TState, TTrigger, TData> : IWorkflow
    where TState : struct, Enum
    where TTrigger : struct, Enum
    where TData : class, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<TTrigger, StateMachine<TState, TTrigger>.TriggerWithParameters<FireContext>> _triggers = [];
    private List<OutboxDraft> _messages = [];
    private List<TimerDraft> _timers = [];
    private List<string> _cancelled = [];
    private Dictionary<string, string?> _details = new(StringComparer.Ordinal);
    private TState _state;
    private FireContext? _context;

    protected WorkflowAggregate(string id, TState initial)
    {
        Id = id;
        _state = initial;
        Machine = new StateMachine<TState, TTrigger>(() => _state, s => _state = s);
        foreach (var trigger in Enum.GetValues<TTrigger>()) _triggers[trigger] = Machine.SetTriggerParameters<FireContext>(trigger);
        Configure(Machine);
    }

    public abstract string AggregateType { get; }
    public string Id { get; }
    public long Version { get; private set; }
    public TState CurrentState => _state;
    string IWorkflow.State => _state.ToString();
    public TData Data { get; private set; } = new();
    public LastTransition? Last { get; private set; }

    /// <summary>The machine; configure it in <see cref="Configure"/>.</summary>
    protected StateMachine<TState, TTrigger> Machine { get; }

    /// <summary>The context of the trigger being fired (valid inside guards and entry actions).</summary>
    protected FireContext Context => _context ?? throw new InvalidOperationException("No trigger is being fired.");

    /// <summary>The parameterized trigger for <paramref name="trigger"/>; use it in <c>PermitIf</c> guards.</summary>
    protected StateMachine<TState, TTrigger>.TriggerWithParameters<FireContext> On(TTrigger trigger) => _triggers[trigger];

    /// <summary>Declares states, transitions, guards (with descriptions) and entry actions.</summary>
    protected abstract void Configure(StateMachine<TState, TTrigger> machine);

    /// <summary>Creation step: record the messages and timers of the initial state.</summary>
    protected virtual void OnCreated() { }

    protected void Send(OutboxDraft message) => _messages.Add(message);
    protected void SetTimer(string name, TTrigger trigger, DateTimeOffset dueAt, string? expectation) =>
        _timers.Add(new TimerDraft(name, trigger.ToString(), dueAt, expectation));
    protected void CancelTimer(string name) => _cancelled.Add(name);
    protected void AuditDetail(string key, string? value) => _details[key] = value;

    /// <summary>
    /// The answer for a trigger that is not permitted. Unmet guards speak for themselves; otherwise the
    /// default says what already happened, e.g. "Already Approved by @ana at 14:02 UTC".
    /// </summary>
    protected virtual IReadOnlyList<string> DescribeRefusal(TTrigger trigger, IReadOnlyCollection<string> unmetGuards)
    {
        if (unmetGuards.Count > 0) return unmetGuards.ToList();
        if (Last is { } last && last.To == _state.ToString())
        {
            var who = last.ActorId.StartsWith('U') || last.ActorId.StartsWith('W') ? $"<@{last.ActorId}>" : $"@{last.ActorName}";
            return [$"Already {_state} by {who} at {last.At.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC; `{trigger}` is no longer possible."];
        }
        return [$"`{trigger}` is not possible while this {AggregateType} is {_state}."];
    }

    public void Create(FireContext context)
    {
        _context = context;
        try { OnCreated(); }
        finally { _context = null; }
    }

    public TransitionResult Fire(string trigger, FireContext context)
    {
        var before = _state.ToString();
        if (!Enum.TryParse<TTrigger>(trigger, ignoreCase: false, out var t) || !Enum.IsDefined(t))
            return TransitionResult.Refused(before, [$"A {AggregateType} has no step called `{trigger}`."]);

        _context = context;
        try
        {
            var parameterized = _triggers[t];
            if (!Machine.CanFire(parameterized, context, out ICollection<string> unmet))
                return TransitionResult.Refused(before, DescribeRefusal(t, unmet?.ToList() ?? []));

            Machine.Fire(parameterized, context);
            Last = new LastTransition(t.ToString(), context.Actor.UserId, context.Actor.UserName, context.Now, before, _state.ToString());
            return new TransitionResult(true, before, _state.ToString(), []);
        }
        finally
        {
            _context = null;
        }
    }

    public WorkflowEffects TakeEffects()
    {
        var effects = new WorkflowEffects(_messages, _timers, _cancelled, _details);
        _messages = [];
        _timers = [];
        _cancelled = [];
        _details = new Dictionary<string, string?>(StringComparer.Ordinal);
        return effects;
    }

    public void Restore(AggregateRecord record)
    {
        if (record.AggregateType != AggregateType || record.AggregateId != Id)
            throw new InvalidOperationException($"Record {record.AggregateType}/{record.AggregateId} does not belong to {AggregateType}/{Id}.");
        if (!Enum.TryParse<TState>(record.State, out var state))
            throw new InvalidOperationException($"Stored state '{record.State}' is not a {typeof(TState).Name}.");
        var envelope = JsonSerializer.Deserialize<Envelope>(record.Data, Json) ?? new Envelope();
        _state = state;
        Data = envelope.Data ?? new TData();
        Last = envelope.Last;
        Version = record.Version;
    }

    public AggregateRecord ToRecord(DateTimeOffset now) =>
        new(AggregateType, Id, _state.ToString(), JsonSerializer.Serialize(new Envelope { Data = Data, Last = Last }, Json), Version + 1, now);

    public string Describe() => MermaidGraph.Format(Machine.GetInfo());

    private sealed class Envelope
    {
        public TData? Data { get; set; }
        public LastTransition? Last { get; set; }
    }
}
