using Bot.Workflows.Ports;
using Bot.Testing;
using Bot.Integrations.Slack;
using Bot.Commands.Routing;
using Bot.Commands.Access;
using Bot.Commands.Incidents;
using Bot.Testing.PagerDuty;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Commands.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Workflows.Incidents;
using Bot.Workflows.Roles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Incidents;

/// <summary><c>/sb incidents</c>, <c>/sb incident &lt;id&gt;</c> and <c>/sb page</c>.</summary>
public sealed class IncidentCommandsTests : IncidentStoreTests
{
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
    }

    [Fact]
    public async Task Incidents_lists_the_open_ones_with_their_level_and_theTime_left()
    {
        await _host.OpenAsync();
        await _host.OpenAsync(live: _host.Live(level: 2, id: "Q2SECOND") with { Number = 43, Title = "DynamoDB <!here> throttling" });
        await _host.OpenAsync(live: _host.Live(id: "Q3DONE") with { Number = 44 });
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(Bot.Workflows.Ports.PagerIncident.Resolved, id: "Q3DONE"));
        Time.Advance(TimeSpan.FromMinutes(4));

        var text = await OneCommand.RunAsync(new IncidentsCommand(_host.Store, Time), "incidents");

        var lines = text.Split('\n');
        Assert.Equal(":rotating_light: 2 open incident(s):", lines[0]);
        Assert.StartsWith("• *#43* `Q2SECOND` :red_circle: triggered · level 2 of 4 (Senior DevOps engineer) · escalates to Engineering manager in 26 min — DynamoDB &lt;!here&gt; throttling", lines[1]);
        Assert.StartsWith("• *#42* `Q1INCIDENT` :red_circle: triggered · level 1 of 4 (DevOps engineer) · escalates to Senior DevOps engineer in 11 min", lines[2]);
        Assert.DoesNotContain("Q3DONE", text);
    }

    [Fact]
    public async Task Incidents_says_so_when_nothing_is_open() =>
        Assert.Equal(":white_check_mark: No open incidents.", await OneCommand.RunAsync(new IncidentsCommand(_host.Store, Time), "incidents"));

    [Fact]
    public async Task Incident_shows_the_card_with_working_buttons_and_the_latestTimeline()
    {
        await _host.OpenAsync();
        var router = new CommandRouter([new IncidentCommand(_host.Store, Time)], NullLogger<CommandRouter>.Instance);
        var reply = new RecordingReplyChannel();

        await router.DispatchAsync(new CommandRequest { Command = "/sb", Text = "incident #42", User = new Actor("U1", "ana"), ChannelId = "C1" }, reply, CancellationToken.None);

        var message = Assert.Single(reply.Responses).AsSlack();
        var card = await _host.LoadAsync();
        Assert.True(message.Ephemeral);
        var buttons = message.Blocks.OfType<Bot.Integrations.Slack.BlockKit.ActionsBlock>().Single().Elements.Cast<Bot.Integrations.Slack.BlockKit.ButtonElement>().ToList();
        Assert.Equal("wf:incident:Acknowledge", buttons[0].ActionId);
        Assert.All(buttons, b => Assert.Equal(card.CardVersion, Bot.Integrations.Slack.ButtonPayload.TryParse(b.Value)!.Version));
        Assert.Contains("Latest in its timeline (UTC)", Bot.Integrations.Slack.BlockKit.BlockKitJson.Serialize(message.Blocks));
    }

    [Fact]
    public async Task An_incident_that_arrived_in_a_storm_shows_its_card_with_buttons_that_work_too()
    {
        var data = IncidentHost.Data();
        data.Quiet = true;
        await _host.OpenAsync(data);
        var router = new CommandRouter([new IncidentCommand(_host.Store, Time)], NullLogger<CommandRouter>.Instance);
        var reply = new RecordingReplyChannel();
        await router.DispatchAsync(new CommandRequest { Command = "/sb", Text = $"incident {IncidentHost.Id}", User = new Actor("U1", "ana"), ChannelId = "C1" }, reply, CancellationToken.None);
        var acknowledge = Assert.Single(reply.Responses).AsSlack().Blocks.OfType<Bot.Integrations.Slack.BlockKit.ActionsBlock>().Single().Elements.Cast<Bot.Integrations.Slack.BlockKit.ButtonElement>().First();

        var click = await _host.Engine.FireAsync(new Bot.Workflows.Engine.WorkflowTrigger(Incident.Type, IncidentHost.Id, nameof(IncidentTrigger.Acknowledge), IncidentHost.Rob)
        {
            CardVersion = Bot.Integrations.Slack.ButtonPayload.TryParse(acknowledge.Value)!.Version,
        }, CancellationToken.None);

        Assert.Equal(Bot.Workflows.Engine.FireOutcomeKind.Transitioned, click.Kind);
    }

    [Fact]
    public async Task Incident_works_out_the_countdown_when_it_is_asked_not_when_the_card_was_last_edited()
    {
        await _host.OpenAsync();
        Time.Advance(TimeSpan.FromMinutes(2));

        var text = await OneCommand.RunAsync(new IncidentCommand(_host.Store, Time), $"incident {IncidentHost.Id}");
        var listed = await OneCommand.RunAsync(new IncidentsCommand(_host.Store, Time), "incidents");

        Assert.Contains("(in 13 min)", text);
        Assert.DoesNotContain("(in 15 min)", text);
        Assert.Contains("in 13 min", listed);
    }

    [Fact]
    public async Task Note_reassign_and_update_reach_pagerduty_as_the_person_who_asked()
    {
        await _host.OpenAsync();
        var requests = new IncidentRequest(_host.Engine, _host.Store);
        var rob = new TestDirectory().Grant("U0ROB", Role.Responder);

        var noted = await RunAsRobAsync(new NoteCommand(requests), "note #42 \"Rolled back to v41\"", rob);
        var updated = await RunAsRobAsync(new UpdateCommand(requests), "update #42 \"Logins work again\"", rob);
        var reassigned = await RunAsRobAsync(new ReassignCommand(requests), "reassign #42 level 2", rob);
        var unknown = await RunAsRobAsync(new NoteCommand(requests), "note #77 \"x\"", rob);
        await _host.SettleAsync();

        Assert.StartsWith(":hourglass_flowing_sand: Adding your note to PagerDuty's timeline", noted);
        Assert.StartsWith(":hourglass_flowing_sand: Publishing your status update", updated);
        Assert.StartsWith(":hourglass_flowing_sand: Reassigning it in PagerDuty", reassigned);
        Assert.Contains("I follow no incident `#77`", unknown);
        Assert.Equal(["note", "status-update", "escalate"], _host.Pager.Writes.Select(w => w.Action));
        Assert.All(_host.Pager.Writes, w => Assert.Equal("rob@securebase.example", w.From));
    }

    [Fact]
    public async Task Incident_names_what_it_does_not_know() =>
        Assert.Contains("I follow no incident `PNOPE`", await OneCommand.RunAsync(new IncidentCommand(_host.Store, Time), "incident PNOPE"));

    [Fact]
    public async Task Page_triggers_an_alert_with_a_dedup_key_naming_who_asked_and_says_so_in_the_channel()
    {
        await using var pagerDuty = await PagerDutyApiHarness.StartAsync();
        var directory = new TestDirectory().Grant("U0ROB", Role.Responder);
        var page = new PageCommand(pagerDuty.Services);
        var router = new CommandRouter([page], NullLogger<CommandRouter>.Instance, [new RoleCheck(new RoleGate(directory))]);
        var reply = new RecordingReplyChannel();

        await router.DispatchAsync(new CommandRequest
        {
            Command = "/sb", Text = "page securebase-prod-lambda \"logins failing <!here>\"", User = new Actor("U0ROB", "rob"), ChannelId = "C0OPS", RequestId = "req-7",
        }, reply, CancellationToken.None);

        var sent = Assert.Single(pagerDuty.Fake.Calls("POST", "/v2/enqueue")).Json;
        Assert.Equal(("trigger", PagerDutyApiHarness.RoutingKey), (sent.GetProperty("event_action").GetString(), sent.GetProperty("routing_key").GetString()));
        // Who asked is in the key: PagerDuty keeps it on the incident, so a break-glass change tells its requester's own pages.
        Assert.StartsWith("securebase-bot/page/U0ROB/", sent.GetProperty("dedup_key").GetString(), StringComparison.Ordinal);
        Assert.Equal("U0ROB", Bot.Workflows.Changes.SecureBaseIncidents.PagedBy(new Bot.Workflows.Ports.PagerIncident("Q1", "triggered", "t") { IncidentKey = sent.GetProperty("dedup_key").GetString() }));
        Assert.Equal(("logins failing <!here>", "critical"), (sent.GetProperty("payload").GetProperty("summary").GetString(), sent.GetProperty("payload").GetProperty("severity").GetString()));
        var answer = Assert.Single(reply.Responses).AsSlack();
        Assert.False(answer.Ephemeral);
        Assert.Contains("paged `securebase-prod-lambda`: logins failing &lt;!here&gt;", answer.Text);
    }

    [Fact]
    public async Task Paging_the_same_service_and_summary_again_within_the_window_lands_on_the_same_alert_and_says_so()
    {
        await using var pagerDuty = await PagerDutyApiHarness.StartAsync(s => s["PagerDuty:RoutingKeys:securebase-prod-api"] = "f0e1d2c3b4a5968778695a4b3c2d1e0f");
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton(pagerDuty.Events)
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<Bot.Workflows.Idempotency.IIdempotencyStore>(Store)
            .BuildServiceProvider();
        var page = new PageCommand(services);
        var directory = new TestDirectory().Grant("U0ROB", Role.Responder).Grant("U0RIA", Role.Responder);

        await RunAsRobAsync(page, "page securebase-prod-lambda \"logins failing\"", directory);
        Time.Advance(TimeSpan.FromMinutes(3));
        var repeat = await RunAsRobAsync(page, "page securebase-prod-lambda \"Logins   FAILING\"", directory);
        Time.Advance(TimeSpan.FromMinutes(8));
        await RunAsRobAsync(page, "page securebase-prod-lambda \"logins failing\"", directory);
        await RunAsRobAsync(page, "page securebase-prod-api \"logins failing\"", directory);

        var keys = pagerDuty.Fake.Calls("POST", "/v2/enqueue").Select(c => c.Json.GetProperty("dedup_key").GetString()).ToList();
        Assert.Equal(4, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]); // the window of the first page is over
        Assert.NotEqual(keys[2], keys[3]); // another service
        Assert.Contains("@rob paged the same 3 min ago, so it lands on the same alert", repeat);
    }

    [Fact]
    public async Task A_page_the_events_api_rate_limits_is_sent_again_minutes_later_with_the_same_dedup_key()
    {
        await using var pagerDuty = await PagerDutyApiHarness.StartAsync();
        pagerDuty.Fake.Script("POST", "/v2/enqueue", new ScriptedResponse(429, """{"status":"throttle event","message":"Requests for this service are arriving too quickly."}"""));
        var services = new ServiceCollection().AddSingleton(pagerDuty.Events).AddSingleton<TimeProvider>(Time).BuildServiceProvider();
        var router = new CommandRouter([new PageCommand(services)], NullLogger<CommandRouter>.Instance, [new RoleCheck(new RoleGate(new TestDirectory().Grant("U0ROB", Role.Responder)))]);
        var reply = new RecordingReplyChannel();

        var paging = router.DispatchAsync(new CommandRequest { Command = "/sb", Text = "page securebase-prod-lambda \"logins failing\"", User = new Actor("U0ROB", "rob"), ChannelId = "C0OPS" },
            reply, CancellationToken.None);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (reply.Responses.IsEmpty) await Task.Delay(10, patience.Token);
        Time.Advance(TimeSpan.FromMinutes(1));
        await paging;

        var sent = pagerDuty.Fake.Calls("POST", "/v2/enqueue").Select(c => c.Json.GetProperty("dedup_key").GetString()).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0], sent[1]);
        var answers = reply.Responses.Select(r => r.AsSlack().Text).ToList();
        Assert.Contains("rate-limiting pages to `securebase-prod-lambda` right now: the bot sends yours again in 60 s and keeps trying for 15 min", answers[0]);
        Assert.Contains("paged `securebase-prod-lambda`: logins failing", answers[^1]);
    }

    [Fact]
    public async Task Page_needs_the_responder_role_and_a_known_service()
    {
        await using var pagerDuty = await PagerDutyApiHarness.StartAsync();
        var directory = new TestDirectory().Grant("U0ROB", Role.Responder);
        var page = new PageCommand(pagerDuty.Services);

        var stranger = await OneCommand.RunAsync(page, "page securebase-prod-lambda \"help\"", directory);
        var unknown = await RunAsRobAsync(page, "page billing \"help\"", directory);

        Assert.StartsWith(":no_entry: To page PagerDuty you need to be an incident responder", stranger);
        Assert.StartsWith("There is no PagerDuty service called `billing`", unknown);
        Assert.Empty(pagerDuty.Fake.Calls("POST", "/v2/enqueue"));
    }

    private static async Task<string> RunAsRobAsync(ICommandHandler handler, string text, IDirectory directory)
    {
        var router = new CommandRouter([handler], NullLogger<CommandRouter>.Instance, [new RoleCheck(new RoleGate(directory))]);
        var reply = new RecordingReplyChannel();
        await router.DispatchAsync(new CommandRequest { Command = "/sb", Text = text, User = new Actor("U0ROB", "rob"), ChannelId = "C0OPS" }, reply, CancellationToken.None);
        return Assert.Single(reply.Responses).AsSlack().Text;
    }
}
