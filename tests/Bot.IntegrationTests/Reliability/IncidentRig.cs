using Bot.PagerDuty;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Sandbox.PagerDuty;
using Bot.Testing.Slack;
using Bot.Workflows.Storage;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// A <see cref="BotRig"/> for a PagerDuty incident: the sandbox's PagerDuty (its REST API behind a <see cref="SandboxProxy"/>
/// of its own, <see cref="PagerDuty"/>) pages, and delivers its signed webhooks through a <see cref="WebhookRelay"/> to
/// whichever instances run. Alice and Bob are responders with PagerDuty accounts (by the e-mail of their Slack profile).
/// The escalation runs on the bot's clock; the first level lasts <see cref="FirstLevelWithin"/>, the others ten minutes.
/// No playbook matches (no diagnostics), and the reconciler is off: what is recovered after a crash is recovered by the
/// durable inbox, outbox, timers and activities alone.
/// </summary>
public sealed class IncidentRig : BotRig
{
    public const string AcknowledgeActionId = "wf:incident:Acknowledge";
    public const string Title = "Checkout latency above the SLO";

    private string? _incidentId;

    private IncidentRig(SandboxServer sandbox, SandboxProxy aws, SlackApiFake slack, RigStore store, SandboxProxy pagerDuty, WebhookRelay webhooks)
        : base(sandbox, aws, slack, store)
    {
        PagerDuty = pagerDuty;
        Webhooks = webhooks;
    }

    /// <summary>The bot's PagerDuty REST calls go through this proxy to the sandbox (operations <c>PagerDuty.Acknowledge</c> …).</summary>
    public SandboxProxy PagerDuty { get; }
    public WebhookRelay Webhooks { get; }
    public SandboxPagerDuty Account => Sandbox.Account.PagerDuty;

    /// <summary>How long the first escalation level waits (default ten minutes: no escalation during a test).</summary>
    public TimeSpan FirstLevelWithin { get; set; } = TimeSpan.FromMinutes(10);

    public string IncidentId => _incidentId ?? throw new InvalidOperationException("Nothing was paged yet.");

    public static async Task<IncidentRig> StartAsync(RigStore? store = null)
    {
        var options = new SandboxOptions();
        // Deliveries to an instance that is down are tried again soon (five attempts over about 8 s).
        options.PagerDuty.WebhookRetryDelay = TimeSpan.FromMilliseconds(500);
        var (sandbox, aws, slack) = await StartPartsAsync(options);
        var pagerDuty = await SandboxProxy.StartAsync(sandbox.BaseAddress);
        var webhooks = await WebhookRelay.StartAsync();
        sandbox.Account.PagerDuty.Webhooks.Subscribe(webhooks.Url);
        slack.AddUser(Alice, "alice", PagerDutyDirectory.Alice.Email);
        slack.AddUser(Bob, "bob", PagerDutyDirectory.Bob.Email);
        var rig = new IncidentRig(sandbox, aws, slack, store ?? RigStore.Sqlite(), pagerDuty, webhooks);
        webhooks.Targets = () => rig.Running.Select(b => b.Client.BaseAddress!).ToList();
        return rig;
    }

    public override Dictionary<string, string> Environment()
    {
        var env = base.Environment();
        var within = FirstLevelWithin.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["PagerDuty__ApiToken"] = Account.Options.ApiToken,
            ["PagerDuty__WebhookSecret"] = Account.Options.WebhookSecret,
            ["PagerDuty__ApiBaseUrl"] = new Uri(PagerDuty.BaseAddress, "pagerduty/").ToString(),
            ["PagerDuty__EventsBaseUrl"] = new Uri(PagerDuty.BaseAddress, "pagerduty-events/").ToString(),
            ["PagerDuty__FromEmail"] = PagerDutyDirectory.Bot.Email,
            ["PagerDuty__EscalationPolicyId"] = PagerDutyDirectory.PolicyId,
            ["PagerDuty__TeamIds__0"] = PagerDutyDirectory.TeamId,
            ["PagerDuty__Retry__BaseDelay"] = "00:00:00.050",
            ["Escalation__Clock"] = "bot",
            ["Escalation__Levels__0__RespondWithin"] = within,
            ["Escalation__Levels__1__RespondWithin"] = "00:10:00",
            ["Escalation__Levels__2__RespondWithin"] = "00:10:00",
            ["Escalation__Levels__3__RespondWithin"] = "00:10:00",
            ["Incidents__NudgeBefore"] = "00:00:00",
            ["Incidents__ReconcileEvery"] = "00:00:00",
            ["Incidents__Playbooks__0__Playbook"] = "api-5xx",
            ["Incidents__Playbooks__0__Title"] = "^no incident has this title$",
            ["Rbac__Roles__responder__Users__0"] = Alice,
            ["Rbac__Roles__responder__Users__1"] = Bob,
        })
        {
            env.TryAdd(key, value);
        }
        return env;
    }

    protected override IEnumerable<string> Secrets() => [.. base.Secrets(), Account.Options.ApiToken, Account.Options.WebhookSecret];

    /// <summary>PagerDuty pages the on-call for an API incident; its <c>incident.triggered</c> webhook is on its way to the bot.</summary>
    public SandboxIncidentView Page()
    {
        var service = PagerDutyDirectory.Services.Single(s => s.Name == PagerDutyDirectory.ApiService);
        var incident = Account.Trigger(service, Title, "critical", null);
        _incidentId = incident.Id;
        return incident;
    }

    /// <summary>The incident as PagerDuty shows it now.</summary>
    public SandboxIncidentView InPagerDuty => Account.Incident(IncidentId) ?? throw new InvalidOperationException($"PagerDuty has no incident {IncidentId}.");

    /// <summary>The incident as the bot stored it (null until its webhook was handled).</summary>
    public async Task<AggregateRecord?> IncidentAsync() =>
        await (await Store.OpenAsync()).LoadAsync(Bot.Workflows.Incidents.Incident.Type, IncidentId, CancellationToken.None);

    /// <summary>The Acknowledge button of the incident's card, once the card reached Slack.</summary>
    public Task<(string ActionId, string Value)> AcknowledgeButtonAsync(TimeSpan? timeout = null) => ButtonAsync(AcknowledgeActionId, timeout);

    /// <summary>The incident is in <paramref name="state"/> and nothing is left to do: no message, webhook or call to PagerDuty waits.</summary>
    public async Task<bool> IsSettledInAsync(string state)
    {
        var store = await Store.OpenAsync();
        return (await IncidentAsync())?.State == state && await OutboxIsEmptyAsync()
            && (await store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None)).Count == 0
            && (await store.ListPendingWorkAsync(WorkQueues.IncidentActivities, 10, CancellationToken.None)).Count == 0
            && !Account.Webhooks.Busy;
    }

    /// <summary>
    /// Nothing lost and nothing twice: the incident was opened, asked and acknowledged once each (and each of
    /// <paramref name="alsoOnce"/> happened once) in an intact audit chain, its card and every other message reached Slack
    /// once, and no secret showed in a log line or a message.
    /// </summary>
    public async Task AssertAcknowledgedOnceAsync(params string[] alsoOnce)
    {
        Assert.True((await VerifyAuditAsync()).Intact);
        AssertOnce(await TransitionsAsync(Bot.Workflows.Incidents.Incident.Type), ["Create", "Acknowledge", "Acknowledged", .. alsoOnce]);
        AssertOnce(await TransitionsAsync(Bot.Workflows.Incidents.IncidentIntake.Type), "Admit");
        Assert.Single(CardPosts());
        AssertEachMessagePostedOnce();
        AssertNoSecretsLeaked();
    }

    /// <summary>The posts of the incident's card (the thread's root, the message with the buttons) Slack took.</summary>
    public IReadOnlyList<TakenPost> CardPosts() =>
        Slack.Taken.Where(p => p.ThreadTs is null && p.Body.Contains(AcknowledgeActionId, StringComparison.Ordinal)).ToList();
}
