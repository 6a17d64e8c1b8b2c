using Bot.Testing;
using Bot.Workflows.Activities;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Bot.Workflows.Timers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing.Workflows;

/// <summary>
/// The Change workflow on a real engine and SQLite store, with its activity handlers over a <see cref="FakeCloud"/>.
/// People: ana (requester, approver), ben (approver, tech lead), cy (approver, ops manager), dee (approver, security),
/// eve (no roles), max (approver, tech lead and ops manager), rob (responder).
/// </summary>
public sealed class ChangeHost
{
    public static readonly WorkflowActor Ana = new("U0ANA", "ana");
    public static readonly WorkflowActor Ben = new("U0BEN", "ben");
    public static readonly WorkflowActor Cy = new("U0CY", "cy");
    public static readonly WorkflowActor Dee = new("U0DEE", "dee");
    public static readonly WorkflowActor Eve = new("U0EVE", "eve");
    public static readonly WorkflowActor Max = new("U0MAX", "max");
    public static readonly WorkflowActor Rob = new("U0ROB", "rob");
    public const string Fn = "securebase-prod-user-management";
    public const string StagingFn = "securebase-staging-user-management";

    /// <param name="more">Handlers of activities the fake cloud does not run (e.g. a rotation's, in a test of the machine alone).</param>
    public ChangeHost(IWorkflowStore store, FakeTimeProvider time, params IActivityHandler[] more)
    {
        Store = store;
        Time = time;
        Directory = new TestDirectory()
            .Grant("U0ANA", Role.Approver).Grant("U0BEN", Role.Approver, Role.TechLead).Grant("U0CY", Role.Approver, Role.OpsManager)
            .Grant("U0DEE", Role.Approver, Role.Security).Grant("U0MAX", Role.Approver, Role.TechLead, Role.OpsManager).Grant("U0ROB", Role.Responder);
        Cloud = new FakeCloud()
            .Function(Fn, "7", ("6", "sha-six", "user-management 1.6.0"), ("7", "sha-seven", "user-management 1.7.0"), ("8", "sha-eight", "user-management 1.8.0"))
            .Function(StagingFn, "3", ("3", "sha-eight", "user-management 1.8.0"));
        Engine = new WorkflowEngine(store, store, store, new WorkflowRegistry([Change.Definition]), Directory, time, NullLogger<WorkflowEngine>.Instance);
        Pump = new TimerPump(store, Engine, time, NullLogger<TimerPump>.Instance);
        Chat = new TestChat();
        Sender = new OutboxSender(store, Chat, time, NullLogger<OutboxSender>.Instance);
        Pager = new FakePager(time);
        KeyFile = Path.Combine(Path.GetTempPath(), "sb-change-keys", Guid.NewGuid().ToString("N") + ".key");
        Sealer = new ValueSealer(new KeyFileDataKeys(KeyFile));
        Runner = new ActivityRunner(store, Engine, new ActivityCatalog(
        [
            new PreflightChangeHandler(Cloud, Directory, time, Freezes), new MoveAliasHandler(Cloud), new SetConcurrencyHandler(Cloud),
            new UpdateConfigurationHandler(Cloud, store, Sealer), new CheckDeployHealthHandler(Cloud),
            new CheckBreakGlassIncidentHandler(Pager, Directory, new SecureBaseIncidents(["PSBLMB1"], [])), new CloseEarlierRollbacksHandler(store, Engine, time), .. more,
        ]), time, NullLogger<ActivityRunner>.Instance);
    }

    /// <summary>The freeze windows the preflight checks (none until a test adds one).</summary>
    public List<FreezeWindow> FreezeWindows { get; } = [];
    private FreezeCalendar Freezes => new(FreezeWindows);
    public FakePager Pager { get; }
    public string KeyFile { get; }
    public ValueSealer Sealer { get; }

    public IWorkflowStore Store { get; }
    public FakeTimeProvider Time { get; }
    public TestDirectory Directory { get; }
    public FakeCloud Cloud { get; }
    public WorkflowEngine Engine { get; }
    public TimerPump Pump { get; }
    public TestChat Chat { get; }
    public OutboxSender Sender { get; }
    public ActivityRunner Runner { get; }

    public static ChangeData DeployData(ChangeCategory category = ChangeCategory.Standard, string env = "prod") => new()
    {
        Spec = new ChangeSpec
        {
            Kind = ChangeKind.Deploy, Environment = env, Function = Fn, FromVersion = "7", ToVersion = "8",
            FromCodeSha256 = "sha-seven", ToCodeSha256 = "sha-eight", FromDescription = "user-management 1.7.0", ToDescription = "user-management 1.8.0",
        },
        Channel = "C0OPS",
        RequesterId = Ana.UserId,
        RequesterName = Ana.UserName,
        Reason = "ship 1.8.0",
        Category = category,
        StagingFunction = StagingFn,
        StagingNote = "staging runs the same code (v3)",
        // The fake cloud's counts are final at once (CloudWatch's publication lag is the sandbox's and AWS's).
        MetricLag = TimeSpan.Zero,
    };

    /// <summary>A configuration change of <see cref="Fn"/> built as <c>/sb config</c> builds it: secret-looking keys masked, their values sealed.</summary>
    public async Task<ChangeData> ConfigDataAsync(params (string Key, string Value)[] sets)
    {
        var settings = Cloud.Settings(Fn);
        var spec = new ChangeSpec { Kind = ChangeKind.Configuration, Environment = "prod", Function = Fn, SettingsRevisionId = settings.RevisionId };
        var secrets = new Dictionary<string, string>();
        foreach (var (key, value) in sets)
        {
            var secret = ChangeSpec.LooksSecret(key);
            var old = settings.Environment.TryGetValue(key, out var o) ? o : null;
            spec.Edits.Add(new ConfigEdit(key, old is null ? null : secret ? spec.Mask(old) : old, secret ? spec.Mask(value) : value, secret));
            if (!secret) continue;
            secrets[key] = value;
            spec.SealedValueHashes[key] = spec.Fingerprint(value);
        }
        var data = DeployData();
        data.Spec = spec;
        data.SecurityRelevant = secrets.Count > 0;
        if (secrets.Count > 0) data.Sealed = await Sealer.SealAsync(Fn, secrets, CancellationToken.None);
        return data;
    }

    public async Task<FireOutcome> RequestAsync(ChangeData data, string id = "CHG-1", TimeSpan? expiresIn = null)
    {
        data.ExpiresAt = Time.GetUtcNow() + (expiresIn ?? TimeSpan.FromHours(24));
        return await Engine.CreateAsync(Change.Request(id, data), new WorkflowActor(data.RequesterId, data.RequesterName), "req-1", null, CancellationToken.None);
    }

    public Task<FireOutcome> FireAsync(ChangeTrigger trigger, WorkflowActor who, string? input = null, string id = "CHG-1") =>
        Engine.FireAsync(WorkflowTrigger.For(Change.Type, id, trigger, who) with
        {
            ArgumentsJson = input is null ? null : System.Text.Json.JsonSerializer.Serialize(new { input }),
            Source = who.Kind == ActorKind.Bot ? TriggerSource.External : TriggerSource.Person,
        }, CancellationToken.None);

    public async Task<Change> LoadAsync(string id = "CHG-1") =>
        (Change)Change.Definition.Restore((await Store.LoadAsync(Change.Type, id, CancellationToken.None))!);

    /// <summary>Runs activities and due timers until nothing is left to do right now.</summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            var worked = await Runner.RunOnceAsync(CancellationToken.None) + await Pump.RunOnceAsync(CancellationToken.None);
            if (worked == 0) return;
        }
    }

    /// <summary>Moves the clock through the verification window, running the checks as they fall due.</summary>
    public async Task WatchAsync(TimeSpan span)
    {
        var end = Time.GetUtcNow() + span;
        while (Time.GetUtcNow() < end)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            await SettleAsync();
        }
    }
}
