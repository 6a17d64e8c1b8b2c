using System.Globalization;
using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using Stateless;
using Stateless.Graph;

namespace Bot.Workflows.Engine;

/// <summary>Who last moved the aggregate, with which trigger, and when (kept with the record for refusal messages).</summary>
public sealed record LastTransition(string Trigger, string ActorId, string ActorName, DateTimeOffset At, string From, string To);

/// <summary>
/// Base for an aggregate with a Stateless machine inside (the BugTracker pattern): the state lives on
/// the aggregate and is stored outside the machine, the machine is rebuilt on every load, every trigger
/// carries a <see cref="FireContext"/> (the acting user and their roles, the time, the source), guards carry
/// descriptions that a refused user reads, and entry actions only <em>record</em> effects (messages, timeline
/// lines, timers, activities, audit details). Nothing leaves the process until the engine has saved the transition.
/// An aggregate with a card (<see cref="CardChannel"/> and <see cref="DescribeCard"/>) has it posted on creation and
/// edited in place after every transition, timers' and activities' included.
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
    private List<ActivityDraft> _activities = [];
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
    public TData Data { get; protected set; } = new();
    public LastTransition? Last { get; private set; }

    IReadOnlyCollection<string> IWorkflow.Triggers => Enum.GetNames<TTrigger>();

    /// <summary>The machine; configure it in <see cref="Configure"/>.</summary>
    protected StateMachine<TState, TTrigger> Machine { get; }

    /// <summary>The context of the trigger being fired (valid inside guards and entry actions).</summary>
    protected FireContext Context => _context ?? throw new InvalidOperationException("No trigger is being fired.");

    /// <summary>The parameterized trigger for <paramref name="trigger"/>; use it in <c>PermitIf</c> guards.</summary>
    protected StateMachine<TState, TTrigger>.TriggerWithParameters<FireContext> On(TTrigger trigger) => _triggers[trigger];

    /// <summary>One of several guards of a transition: <c>PermitIf(On(T.Approve), S.Approved, Guard(…, "…"), Guard(…, "…"))</c>.</summary>
    protected static Tuple<Func<FireContext, bool>, string> Guard(Func<FireContext, bool> test, string description) => Tuple.Create(test, description);

    /// <summary>A transition that stays in the state (no exit or entry actions): runs <paramref name="action"/> when <paramref name="guard"/> holds.</summary>
    protected void Internal(StateMachine<TState, TTrigger>.StateConfiguration state, TTrigger trigger, Func<FireContext, bool> guard, string description, Action<FireContext> action) =>
        state.InternalTransitionIf(On(trigger), guard, (ctx, _) => action(ctx), description);

    /// <summary>Declares states, transitions, guards (with descriptions) and entry actions.</summary>
    protected abstract void Configure(StateMachine<TState, TTrigger> machine);

    /// <summary>Creation step: record the messages, timers and activities of the initial state.</summary>
    protected virtual void OnCreated() { }

    // ---------------------------------------------------------------- effects (recorded, saved with the transition)

    protected void Send(OutboxDraft message) => _messages.Add(message);

    /// <summary>A plain message in <paramref name="channel"/> (a user id: a direct message).</summary>
    protected void Post(string channel, Line text) => Send(new OutboxDraft { Channel = channel, Content = new ChatContent(text) });

    /// <summary>A line in the card's thread (the timeline); <paramref name="alsoToChannel"/> shows it in the channel too.</summary>
    protected void Timeline(Line text, bool alsoToChannel = false)
    {
        var channel = CardChannel ?? throw new InvalidOperationException($"{AggregateType} has no card to thread a timeline under.");
        Send(new OutboxDraft { Channel = channel, Content = new ChatContent(text, AlsoToChannel: alsoToChannel), ThreadUnderKey = CardKey });
    }

    /// <summary>A direct message to one person (e.g. the requester told the outcome).</summary>
    protected void Notify(string userId, Line text) => Post(userId, text);

    protected void SetTimer(string name, TTrigger trigger, DateTimeOffset dueAt, string? expectation) =>
        _timers.Add(new TimerDraft(name, trigger.ToString(), dueAt, expectation));

    protected void CancelTimer(string name) => _cancelled.Add(name);

    protected void AuditDetail(string key, string? value) => _details[key] = value;

    /// <summary>
    /// Runs <paramref name="activity"/> after this transition is saved; its result comes back as
    /// <paramref name="onSucceeded"/> or <paramref name="onFailed"/> with <see cref="FireContext.Activity"/> set.
    /// <paramref name="name"/> tells the aggregate's activities apart (one of a name per transition).
    /// </summary>
    protected void Run(string name, Activity activity, TTrigger onSucceeded, TTrigger onFailed) =>
        _activities.Add(new ActivityDraft(name, activity, onSucceeded.ToString(), onFailed.ToString()));

    /// <summary>The lane its activities run in: the changes' (<see cref="WorkQueues.Activities"/>) unless a workflow has its own.</summary>
    public virtual string ActivityQueue => WorkQueues.Activities;

    // ---------------------------------------------------------------- the card

    /// <summary>Where the card lives; null (the default) for an aggregate without a card.</summary>
    public virtual string? CardChannel => null;

    public string CardKey => $"{AggregateType}/{Id}/card";

    /// <summary>Where the card was posted, once it has been (null before): link to it, or tell people where to look.</summary>
    protected SentMessage? CardMessage { get; private set; }

    /// <summary>The card as it looks now. Called after creation and after every transition.</summary>
    protected virtual Card? DescribeCard() => null;

    /// <summary>A button that fires <paramref name="trigger"/>: typed, so it is always one of this aggregate's triggers.</summary>
    protected static CardButton Button(string label, TTrigger trigger, ButtonStyle style = ButtonStyle.Default, string? confirm = null, string? askFor = null) =>
        new(label, trigger.ToString(), style, confirm, askFor);

    Card? IWorkflow.RenderCard() => CardChannel is null ? null : DescribeCard();

    /// <summary>The aggregate version the card on screen was rendered at (its buttons carry it).</summary>
    public long CardVersion { get; private set; }

    bool IWorkflow.AcceptsFromAnyCard(string trigger) => Enum.TryParse<TTrigger>(trigger, ignoreCase: false, out var t) && Enum.IsDefined(t) && IsIntent(t);

    /// <summary>Triggers whose buttons work from any version of the card (see <see cref="IWorkflow.AcceptsFromAnyCard"/>); none by default.</summary>
    protected virtual bool IsIntent(TTrigger trigger) => false;

    /// <summary>A hash of what the card on screen shows; a transition that leaves it unchanged does not edit it.</summary>
    public string? CardHash { get; private set; }

    void IWorkflow.CardShown(long version, string hash)
    {
        CardVersion = version;
        CardHash = hash;
    }

    void IWorkflow.AttachCardMessage(SentMessage? message) => CardMessage = message;

    // ---------------------------------------------------------------- refusals

    /// <summary>
    /// The answer for a trigger that is not permitted. Unmet guards speak for themselves; otherwise the
    /// default says what already happened, e.g. "Already Approved by @ana at 14:02 UTC".
    /// </summary>
    protected virtual IReadOnlyList<string> DescribeRefusal(TTrigger trigger, IReadOnlyCollection<string> unmetGuards)
    {
        if (unmetGuards.Count > 0) return unmetGuards.ToList();
        if (Last is { } last && last.To == _state.ToString() && last.From != last.To)
            return [$"Already {_state} by @{last.ActorName} at {Hhmm(last.At)} UTC; {trigger} is no longer possible."];
        return [$"{trigger} is not possible while this {AggregateType} is {_state}."];
    }

    public virtual string DescribeNow() => Last is { } last
        ? $"{AggregateType} {Id} is {_state} ({last.Trigger} by @{last.ActorName} at {Hhmm(last.At)} UTC)."
        : $"{AggregateType} {Id} is {_state}.";

    private static string Hhmm(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- engine side

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
            return TransitionResult.Refused(before, [$"A {AggregateType} has no step called {trigger}."]);

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
        var effects = new WorkflowEffects(_messages, _timers, _cancelled, _details, _activities);
        _messages = [];
        _timers = [];
        _cancelled = [];
        _activities = [];
        _details = new Dictionary<string, string?>(StringComparer.Ordinal);
        return effects;
    }

    /// <summary>
    /// The version of this workflow's stored form (<typeparamref name="TData"/> and its states). Raise it when a newer form would
    /// be misread by the version before; a version meeting a record of a higher one refuses it and leaves it alone.
    /// </summary>
    protected virtual int SchemaVersion => 1;

    /// <summary>The record as stored (its JSON), so fields a newer version wrote and this one does not know are written back as they were.</summary>
    private System.Text.Json.Nodes.JsonObject? _stored;

    public void Restore(AggregateRecord record)
    {
        if (record.AggregateType != AggregateType || record.AggregateId != Id)
            throw new InvalidOperationException($"Record {record.AggregateType}/{record.AggregateId} does not belong to {AggregateType}/{Id}.");
        var stored = System.Text.Json.Nodes.JsonNode.Parse(record.Data) as System.Text.Json.Nodes.JsonObject ?? [];
        if (stored["schema"]?.GetValue<int>() is { } schema && schema > SchemaVersion)
            throw new WrittenByNewerVersionException(
                $"{AggregateType} {Id} was saved by a newer version of the bot (its form {schema}; this version knows {SchemaVersion}); this instance leaves it alone.");
        if (!Enum.TryParse<TState>(record.State, out var state) || !Enum.IsDefined(state))
            throw new WrittenByNewerVersionException($"{AggregateType} {Id} is in state '{record.State}', which this version of the bot does not know; this instance leaves it alone.");
        var envelope = stored.Deserialize<Envelope>(Json) ?? new Envelope();
        _stored = stored;
        _state = state;
        Data = envelope.Data ?? new TData();
        Last = envelope.Last;
        CardVersion = envelope.CardVersion;
        CardHash = envelope.CardHash;
        Version = record.Version;
    }

    public AggregateRecord ToRecord(DateTimeOffset now)
    {
        var written = JsonSerializer.SerializeToNode(new Envelope { Schema = SchemaVersion, Data = Data, Last = Last, CardVersion = CardVersion, CardHash = CardHash }, Json)!
            .AsObject();
        if (_stored is not null)
        {
            KeepUnknown(_stored, written);
            if (_stored["data"] is System.Text.Json.Nodes.JsonObject storedData && written["data"] is System.Text.Json.Nodes.JsonObject writtenData) KeepUnknown(storedData, writtenData);
        }
        return new(AggregateType, Id, _state.ToString(), written.ToJsonString(), Version + 1, now);
    }

    /// <summary>
    /// Copies into <paramref name="written"/> the fields <paramref name="stored"/> has and this version does not write (a newer
    /// version's), so a round trip through an older version of the bot loses none of them. Only fields of the record and of its
    /// data: deeper objects may be dictionaries, whose missing keys were removed on purpose.
    /// </summary>
    private static void KeepUnknown(System.Text.Json.Nodes.JsonObject stored, System.Text.Json.Nodes.JsonObject written)
    {
        foreach (var (name, value) in stored)
        {
            if (!written.ContainsKey(name)) written[name] = value?.DeepClone();
        }
    }

    public string Describe() => MermaidGraph.Format(Machine.GetInfo());

    private sealed class Envelope
    {
        /// <summary>The <see cref="SchemaVersion"/> it was written with (absent: 1).</summary>
        public int Schema { get; set; } = 1;
        public TData? Data { get; set; }
        public LastTransition? Last { get; set; }
        public long CardVersion { get; set; }
        public string? CardHash { get; set; }
    }
}
