using Bot.Testing;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;
using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Bot.Workflows.Timers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing.Workflows;

/// <summary>
/// The Incident workflow on a real engine and SQLite store, its PagerDuty calls over a <see cref="FakePager"/>.
/// People: rob and ria (incident responders with PagerDuty accounts), eve (no roles), nia (a responder with no PagerDuty
/// account). Levels: the ops guide's four, each with a Slack user group to mention.
/// </summary>
public sealed class IncidentHost
{
    public static readonly WorkflowActor Rob = new("U0ROB", "rob");
    public static readonly WorkflowActor Ria = new("U0RIA", "ria");
    public static readonly WorkflowActor Eve = new("U0EVE", "eve");
    public static readonly WorkflowActor Nia = new("U0NIA", "nia");
    public const string Channel = "C0OPS";
    public const string Id = "Q1INCIDENT";
    /// <summary>SecureBase's Lambda service and team (the scope the desk's sink and reconciler follow).</summary>
    public const string ServiceId = "PSBLMB1";
    public const string TeamId = "PSBTEAM";

    public static readonly IReadOnlyList<EscalationLevel> Levels =
    [
        new("DevOps engineer", "S0DEVOPS", TimeSpan.FromMinutes(15)),
        new("Senior DevOps engineer", "S0SENIOR", TimeSpan.FromMinutes(30)),
        new("Engineering manager", "U0MANAGER", TimeSpan.FromHours(1)),
        new("VP engineering", "U0VP", TimeSpan.FromHours(2)),
    ];

    public IncidentHost(IWorkflowStore store, FakeTimeProvider time, FakePager? pager = null)
    {
        Store = store;
        Time = time;
        Directory = new TestDirectory()
            .Grant(Rob.UserId, Role.Responder).Grant(Ria.UserId, Role.Responder).Grant(Nia.UserId, Role.Responder)
            .Email(Rob.UserId, "rob@securebase.example").Email(Ria.UserId, "ria@securebase.example").Email(Nia.UserId, "nia@elsewhere.example");
        Pager = pager ?? new FakePager(time).User("rob@securebase.example", "Rob Ray").User("ria@securebase.example", "Ria Roy");
        Engine = new WorkflowEngine(store, store, store, new WorkflowRegistry([Incident.Definition, IncidentIntake.Definition, Bot.Workflows.Handoffs.Handoff.Definition]), Directory, time, NullLogger<WorkflowEngine>.Instance);
        Pump = new TimerPump(store, Engine, time, NullLogger<TimerPump>.Instance);
        Chat = new TestChat();
        Sender = new OutboxSender(store, Chat, time, NullLogger<OutboxSender>.Instance);
        Runner = new ActivityRunner(store, Engine, new ActivityCatalog([new IncidentActionHandler(Pager, Directory, time)]), time, NullLogger<ActivityRunner>.Instance,
            queue: WorkQueues.IncidentActivities);
    }

    public IWorkflowStore Store { get; }
    public FakeTimeProvider Time { get; }
    public TestDirectory Directory { get; }
    public FakePager Pager { get; }
    public WorkflowEngine Engine { get; }
    public TimerPump Pump { get; }
    public TestChat Chat { get; }
    public OutboxSender Sender { get; }
    public ActivityRunner Runner { get; }

    public PagerIncident Live(string status = PagerIncident.Triggered, int level = 1, string id = Id) =>
        new(id, status, "Lambda function errors: securebase-prod-user-management", $"https://securebase.pagerduty.example/incidents/{id}")
        {
            Number = 42,
            Service = "securebase-prod-lambda",
            ServiceId = ServiceId,
            TeamIds = [TeamId],
            EscalationPolicyId = "PSBESC1",
            EscalationPolicy = "SecureBase",
            AssignedVia = "escalation_policy",
            Urgency = "high",
            Assignees = ["Alice Chen"],
            Level = level,
            CreatedAt = Time.GetUtcNow(),
        };

    public static IncidentData Data(EscalationClock clock = EscalationClock.Bot, bool rehearsal = false) => new()
    {
        Channel = Channel,
        Clock = clock,
        Levels = Levels.ToList(),
        Rehearsal = rehearsal,
    };

    /// <summary>Opens <see cref="Id"/> as PagerDuty triggered it now (and puts it in the fake pager).</summary>
    public async Task<FireOutcome> OpenAsync(IncidentData? data = null, PagerIncident? live = null)
    {
        live ??= Live();
        Pager.Put(live);
        return await Engine.CreateAsync(Incident.Open(new IncidentEvent(live, Time.GetUtcNow()), data ?? Data()), new WorkflowActor("pagerduty", "PagerDuty", ActorKind.External),
            "open", null, CancellationToken.None);
    }

    /// <summary>PagerDuty says <paramref name="trigger"/> happened at <paramref name="at"/> (a webhook), the incident being <paramref name="live"/>.</summary>
    /// <remarks>With <paramref name="put"/> false PagerDuty is left as it is: a webhook that tells of an older state.</remarks>
    public Task<FireOutcome> NewsAsync(IncidentTrigger trigger, PagerIncident live, DateTimeOffset? at = null, string? by = "Alice Chen", string? eventId = null,
        string? note = null, IncidentNewsSource via = IncidentNewsSource.Webhook, bool put = true)
    {
        if (put) Pager.Put(live);
        return Engine.FireAsync(WorkflowTrigger.For(Incident.Type, live.Id, trigger, new WorkflowActor("PALICE", by ?? "PagerDuty", ActorKind.External)) with
        {
            Source = TriggerSource.External,
            IdempotencyKey = eventId is null ? null : $"pagerduty-event:{eventId}",
            ArgumentsJson = new IncidentEvent(live, at ?? Time.GetUtcNow(), by, note, via).ToJson(),
        }, CancellationToken.None);
    }

    /// <summary>A click on the card's button, by <paramref name="who"/>; on the card of <paramref name="cardVersion"/> when given.</summary>
    public Task<FireOutcome> ClickAsync(IncidentTrigger trigger, WorkflowActor who, string? input = null, string id = Id, long? cardVersion = null) =>
        Engine.FireAsync(WorkflowTrigger.For(Incident.Type, id, trigger, who) with
        {
            ArgumentsJson = input is null ? null : System.Text.Json.JsonSerializer.Serialize(new { input }),
            CardVersion = cardVersion,
        }, CancellationToken.None);

    public async Task<Incident> LoadAsync(string id = Id) =>
        (Incident)Incident.Definition.Restore((await Store.LoadAsync(Incident.Type, id, CancellationToken.None))!);

    /// <summary>Runs activities and due timers until nothing is left to do right now.</summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            var worked = await Runner.RunOnceAsync(CancellationToken.None) + await Pump.RunOnceAsync(CancellationToken.None);
            if (worked == 0) return;
        }
    }

    /// <summary>Moves the clock by <paramref name="span"/> and settles.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        Time.Advance(span);
        await SettleAsync();
    }

    /// <summary>Delivers the outbox (a second per round) and returns what reached the chat.</summary>
    public async Task<IReadOnlyList<TestChat.Delivery>> DeliverAsync()
    {
        for (var i = 0; i < 500 && await Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await Sender.RunOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        return Chat.Deliveries;
    }

    /// <summary>The plain text of the thread lines (and DMs) delivered so far, cards excluded.</summary>
    public async Task<IReadOnlyList<string>> LinesAsync() =>
        (await DeliverAsync()).Where(d => d.Kind == "post" && d.Content.Card is null).Select(d => d.Text).ToList();

    /// <summary>The card as last delivered.</summary>
    public async Task<Card> CardAsync() => (await DeliverAsync()).Last(d => d.Content.Card?.Ref?.AggregateType == Incident.Type).Content.Card!;
}
