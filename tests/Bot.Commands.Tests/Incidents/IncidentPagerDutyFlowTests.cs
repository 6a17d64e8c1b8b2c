using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using System.Text.Json.Nodes;
using Bot.Integrations.PagerDuty;
using Bot.Commands.Buttons;
using Bot.Testing.PagerDuty;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Commands.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Storage;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Commands.Tests.Incidents;

/// <summary>
/// A click on Acknowledge goes through the real button handler, engine and activity, and the real PagerDuty client to
/// PagerDuty's API fake on loopback — once, as the clicker; the webhook PagerDuty sends back is then processed once.
/// </summary>
public sealed class IncidentPagerDutyFlowTests : IAsyncLifetime
{
    private const string IncidentId = "PT4KHLK";
    private static readonly WorkflowActor Rob = new("U0ROB", "rob");
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero));
    private PagerDutyApiHarness _pagerDuty = null!;
    private SqliteWorkflowStore _store = null!;
    private WorkflowEngine _engine = null!;
    private ActivityRunner _runner = null!;
    private IPager _pager = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty = await PagerDutyApiHarness.StartAsync();
        _pager = _pagerDuty.Services.GetRequiredService<IPager>();
        _store = new SqliteWorkflowStore(_path, _time);
        await _store.InitializeAsync(CancellationToken.None);
        var directory = new TestDirectory().Grant(Rob.UserId, Role.Responder).Email(Rob.UserId, "rob@securebase.example");
        _engine = new WorkflowEngine(_store, _store, _store, new WorkflowRegistry([Incident.Definition]), directory, _time, NullLogger<WorkflowEngine>.Instance);
        _runner = new ActivityRunner(_store, _engine, new ActivityCatalog([new IncidentActionHandler(_pager, directory, _time)]), _time, NullLogger<ActivityRunner>.Instance,
            queue: WorkQueues.IncidentActivities);
    }

    public async Task DisposeAsync()
    {
        await _pagerDuty.DisposeAsync();
        TestStorage.Delete(_path);
    }

    /// <summary>PagerDuty's documented incident, with another status.</summary>
    private static string IncidentBody(string status)
    {
        var body = JsonNode.Parse(PagerDutyApiFake.FixtureBody("rest/get-incident.response.json"))!;
        body["incident"]!["status"] = status;
        return body.ToJsonString();
    }

    private static ScriptedResponse Rob_s_account() =>
        new(200, """{"users":[{"id":"PROB001","type":"user","name":"Rob Ray","email":"rob@securebase.example"}],"limit":100,"offset":0,"more":false}""");

    [Fact]
    public async Task Acknowledge_reaches_pagerduty_once_as_the_clicker_and_the_webhook_echo_changes_nothing_twice()
    {
        var fake = _pagerDuty.Fake;
        var opened = await _pager.GetIncidentWithLevelAsync(IncidentId, CancellationToken.None) ?? throw new InvalidOperationException("no incident");
        await _engine.CreateAsync(Incident.Open(new IncidentEvent(opened with { Status = PagerIncident.Triggered }, _time.GetUtcNow()), Bot.Testing.Workflows.IncidentHost.Data()),
            WorkflowActor.Bot, null, null, CancellationToken.None);
        fake.Script("GET", "/users", Rob_s_account(), Rob_s_account());
        fake.Script("GET", $"/incidents/{IncidentId}", new ScriptedResponse(200, IncidentBody("triggered")), new ScriptedResponse(200, IncidentBody("triggered")));
        fake.Script("PUT", $"/incidents/{IncidentId}", new ScriptedResponse(200, IncidentBody("acknowledged")));
        var card = await _store.LoadAsync(Incident.Type, IncidentId, CancellationToken.None);

        var reply = new RecordingReplyChannel();
        await new WorkflowButtonHandler(_engine, new FixedOptions<Bot.Integrations.Slack.SlackOptions>(new()), NullLogger<WorkflowButtonHandler>.Instance).HandleAsync(new InteractionRequest
        {
            Type = InteractionRequest.BlockActions,
            Id = ButtonPayload.ActionId(Incident.Type, nameof(IncidentTrigger.Acknowledge)),
            Value = new ButtonPayload(Incident.Type, IncidentId, nameof(IncidentTrigger.Acknowledge), card!.Version).ToJson(),
            User = new Actor(Rob.UserId, Rob.UserName),
            RequestId = "1700000000.000100",
        }, reply, CancellationToken.None);
        await _runner.RunOnceAsync(CancellationToken.None);

        var put = Assert.Single(fake.Calls("PUT", $"/incidents/{IncidentId}"));
        Assert.Equal("rob@securebase.example", put.Header("From"));
        Assert.Equal("acknowledged", put.Json.GetProperty("incident").GetProperty("status").GetString());
        Assert.Empty(reply.Responses);
        Assert.Equal(IncidentState.Acknowledged, await StateAsync());

        // PagerDuty's webhook for the same change, then its retry with the same event id.
        var echo = await _engine.FireAsync(WorkflowTrigger.For(Incident.Type, IncidentId, IncidentTrigger.Acknowledged, new WorkflowActor("PROB001", "Rob Ray", ActorKind.External)) with
        {
            Source = TriggerSource.External,
            IdempotencyKey = "pagerduty-event:01ECHO",
            ArgumentsJson = new IncidentEvent(opened with { Status = PagerIncident.Acknowledged }, _time.GetUtcNow(), "Rob Ray").ToJson(),
        }, CancellationToken.None);
        var retry = await _engine.FireAsync(WorkflowTrigger.For(Incident.Type, IncidentId, IncidentTrigger.Acknowledged, WorkflowActor.Bot) with
        {
            Source = TriggerSource.External,
            IdempotencyKey = "pagerduty-event:01ECHO",
            ArgumentsJson = new IncidentEvent(opened with { Status = PagerIncident.Acknowledged }, _time.GetUtcNow(), "Rob Ray").ToJson(),
        }, CancellationToken.None);
        await _runner.RunOnceAsync(CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Refused, echo.Kind);
        Assert.Equal(FireOutcomeKind.Duplicate, retry.Kind);
        Assert.Single(fake.Calls("PUT", $"/incidents/{IncidentId}"));
        var audit = await _store.ReadAuditAsync(new Bot.Workflows.Audit.AuditQuery(Limit: 100), CancellationToken.None);
        Assert.Single(audit, a => a.AggregateId == IncidentId && a.After == nameof(IncidentState.Acknowledged) && a.Before == nameof(IncidentState.Triggered));
    }

    [Fact]
    public async Task A_clicker_without_a_pagerduty_account_changes_nothing_in_pagerduty()
    {
        var opened = await _pager.GetIncidentWithLevelAsync(IncidentId, CancellationToken.None);
        await _engine.CreateAsync(Incident.Open(new IncidentEvent(opened! with { Status = PagerIncident.Triggered }, _time.GetUtcNow()), Bot.Testing.Workflows.IncidentHost.Data()),
            WorkflowActor.Bot, null, null, CancellationToken.None);

        await _engine.FireAsync(WorkflowTrigger.For(Incident.Type, IncidentId, IncidentTrigger.Acknowledge, Rob), CancellationToken.None);
        await _runner.RunOnceAsync(CancellationToken.None);

        Assert.Empty(_pagerDuty.Fake.Calls("PUT", $"/incidents/{IncidentId}"));
        Assert.Equal("rob@securebase.example", Assert.Single(_pagerDuty.Fake.Calls("GET", "/users")).QueryValues("query").Single());
        Assert.Equal(IncidentState.Triggered, await StateAsync());
    }

    private async Task<IncidentState> StateAsync() =>
        ((Incident)Incident.Definition.Restore((await _store.LoadAsync(Incident.Type, IncidentId, CancellationToken.None))!)).CurrentState;
}
