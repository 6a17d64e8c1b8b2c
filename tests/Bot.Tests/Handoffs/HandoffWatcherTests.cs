using Bot.Commands.Cloud;
using Bot.Commands.Handoffs;
using Bot.Commands.Incidents;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.WebApi;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Sandbox.PagerDuty;
using Bot.Testing.Aws;
using Bot.Testing.Slack;
using Bot.Testing.Workflows;
using Bot.Workflows.Handoffs;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Bot.Tests.Incidents.IncidentDesk;

namespace Bot.Tests.Handoffs;

/// <summary>
/// The handoff watcher against the sandbox's PagerDuty (its on-calls over REST), AWS (CloudWatch's alarms) and a Slack stand-in
/// (who is who by e-mail): a change of level 1's on-call is handed over once, mentioning both engineers.
/// </summary>
public sealed class HandoffWatcherTests : IncidentStoreTests
{
    private SandboxServer _sandbox = null!;
    private ServiceProvider _services = null!;
    private SlackApiHarness _slack = null!;
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { StartWithOpenIncident = false, ClockSkewTolerance = null }, Time);
        var account = _sandbox.Account.Options;
        var pagerDuty = _sandbox.Account.PagerDuty.Options;
        _services = StubClients.Build(_sandbox.BaseAddress, s => s.AddPagerDutyClients(), new Dictionary<string, string?>
        {
            ["Aws:Region"] = account.Region,
            ["Aws:AccessKeyId"] = account.AccessKeyId,
            ["Aws:SecretAccessKey"] = account.SecretAccessKey,
            ["Aws:MaxRetries"] = "1",
            ["PagerDuty:ApiToken"] = pagerDuty.ApiToken,
            ["PagerDuty:WebhookSecret"] = pagerDuty.WebhookSecret,
            ["PagerDuty:FromEmail"] = PagerDutyDirectory.Bot.Email,
            ["PagerDuty:EscalationPolicyId"] = PagerDutyDirectory.PolicyId,
            ["PagerDuty:TeamIds:0"] = PagerDutyDirectory.TeamId,
            ["PagerDuty:ApiBaseUrl"] = new Uri(_sandbox.BaseAddress, "pagerduty/").ToString(),
            ["PagerDuty:EventsBaseUrl"] = new Uri(_sandbox.BaseAddress, "pagerduty-events/").ToString(),
        });
        _slack = await SlackApiHarness.StartAsync();
        _slack.Fake.AddUser("U0ALICE", "alice", PagerDutyDirectory.Alice.Email);
        _slack.Fake.AddUser("U0ERIN", "erin", PagerDutyDirectory.Erin.Email);
        _host = new IncidentHost(Store, Time);
    }

    public override async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await base.DisposeAsync();
    }

    private HandoffSnapshotReader Snapshots(IWorkflowStore store)
    {
        var secureBase = new SecureBaseOptions();
        secureBase.ApplyDefaults();
        return new HandoffSnapshotReader(store, _services.GetRequiredService<ICloudWatchClient>(), Options.Create(secureBase), Time, NullLogger<HandoffSnapshotReader>.Instance);
    }

    private HandoffWatcher Watcher(IncidentHost? host = null, HandoffOptions? options = null)
    {
        host ??= _host;
        return new HandoffWatcher(_services, host.Engine, host.Store, Snapshots(host.Store), new SlackUserProfiles(_slack.Get<SlackWebApiClient>()),
            Monitor(new IncidentOptions { Handoff = options ?? new HandoffOptions() }), Monitor(new EscalationOptions()), Monitor(new SlackOptions { OpsChannelId = IncidentHost.Channel }),
            Time, NullLogger<HandoffWatcher>.Instance);
    }

    private async Task<IReadOnlyList<Handoff>> HandoffsAsync() =>
        (await Store.ListAggregatesAsync(Handoff.Type, null, 100, CancellationToken.None)).Select(r => (Handoff)Handoff.Definition.Restore(r)).ToList();

    [Fact]
    public async Task The_first_look_only_notes_who_is_on_call_and_posts_nothing()
    {
        var first = await Watcher().RunOnceAsync(CancellationToken.None);
        var again = await Watcher().RunOnceAsync(CancellationToken.None);

        Assert.Equal((HandoffState.Noted, "Alice Chen"), (first!.CurrentState, first.Data.Incoming.Name));
        Assert.Null(again);
        Assert.Empty(await _host.DeliverAsync());
    }

    [Fact]
    public async Task A_shift_change_is_handed_over_once_mentioning_both_engineers_with_what_is_open()
    {
        await Watcher().RunOnceAsync(CancellationToken.None);
        await _host.OpenAsync(); // an incident the incoming engineer takes over
        Time.Advance(TimeSpan.FromHours(8));
        _sandbox.Account.PagerDuty.HandOver(1, PagerDutyDirectory.Erin);

        var handoff = await Watcher().RunOnceAsync(CancellationToken.None);
        var again = await Watcher().RunOnceAsync(CancellationToken.None);

        Assert.Equal(HandoffState.Waiting, handoff!.CurrentState);
        Assert.Null(again);
        Assert.Equal(new HandoffPerson("Alice Chen", PagerDutyDirectory.Alice.Email, "U0ALICE", PagerDutyDirectory.Alice.Id), handoff.Data.Outgoing);
        Assert.Equal(new HandoffPerson("Erin Novak", PagerDutyDirectory.Erin.Email, "U0ERIN", PagerDutyDirectory.Erin.Id), handoff.Data.Incoming);
        Assert.Equal(("Bob Okafor", null), (handoff.Data.NextLevelOnCall?.Name, handoff.Data.NextLevelOnCall?.SlackId));
        Assert.Equal(Time.GetUtcNow(), handoff.Data.ShiftStart);
        var deliveries = await _host.DeliverAsync();
        var card = Assert.Single(deliveries, d => d.Content.Card?.Title.StartsWith("On-call handoff", StringComparison.Ordinal) == true).Content.Card!;
        Assert.Equal("On-call handoff: Alice Chen → Erin Novak", card.Title);
        var details = card.Details.Select(l => l.ToPlainText()).ToList();
        Assert.Contains("Open incidents (1):", details);
        Assert.Contains(details, l => l.Contains("#42", StringComparison.Ordinal) && l.Contains("triggered", StringComparison.Ordinal));
        Assert.Contains("Changes being verified: none.", details);
        Assert.Contains("Unreviewed break-glass changes: none.", details);
        Assert.Contains(details, l => l.StartsWith("Alarms in ALARM (prod)", StringComparison.Ordinal) && !l.Contains("could not be read", StringComparison.Ordinal));
        var mention = Assert.Single(deliveries, d => d.ThreadTs is not null && d.Text.Contains("the on-call for level 1", StringComparison.Ordinal));
        Assert.Equal(["U0ALICE", "U0ERIN"], mention.Content.Text.Spans.OfType<Bot.Workflows.Messages.UserSpan>().Select(u => u.UserId).Distinct());
    }

    [Fact]
    public async Task Two_instances_that_see_the_same_change_hand_it_over_once()
    {
        await Watcher().RunOnceAsync(CancellationToken.None);
        _sandbox.Account.PagerDuty.HandOver(1, PagerDutyDirectory.Erin);
        var second = new IncidentHost(new Bot.Workflows.Storage.Sqlite.SqliteWorkflowStore(StorePath, Time), Time);

        var saved = await Task.WhenAll(Watcher().RunOnceAsync(CancellationToken.None), Watcher(second).RunOnceAsync(CancellationToken.None));

        Assert.Single(saved, h => h is not null);
        Assert.Equal(2, (await HandoffsAsync()).Count);
        Assert.Single(await _host.DeliverAsync(), d => d.Content.Card is not null);
    }

    [Fact]
    public async Task A_shift_change_seen_long_after_it_began_is_only_noted_and_the_next_one_is_handed_over_from_it()
    {
        await Watcher().RunOnceAsync(CancellationToken.None);
        _sandbox.Account.PagerDuty.HandOver(1, PagerDutyDirectory.Erin);
        Time.Advance(TimeSpan.FromHours(3)); // the bot was down

        var late = await Watcher().RunOnceAsync(CancellationToken.None);
        _sandbox.Account.PagerDuty.HandOver(1, PagerDutyDirectory.Alice);
        var back = await Watcher().RunOnceAsync(CancellationToken.None);

        Assert.Equal(HandoffState.Noted, late!.CurrentState);
        Assert.Contains("more than 60 min before the bot saw it", late.Data.NotedBecause);
        Assert.Equal((HandoffState.Waiting, "Erin Novak", "Alice Chen"), (back!.CurrentState, back.Data.Outgoing?.Name, back.Data.Incoming.Name));
    }

    [Fact]
    public async Task The_handoff_command_shows_who_is_on_call_and_what_is_open_now()
    {
        await _host.OpenAsync();
        _sandbox.Account.PagerDuty.HandOver(1, PagerDutyDirectory.Erin);

        var text = await Bot.Testing.Commands.OneCommand.RunAsync(new HandoffCommand(_services, Snapshots(Store)), "handoff");

        Assert.StartsWith(":arrows_counterclockwise: *On-call handoff now*: level 1 Erin Novak, level 2 Bob Okafor.", text);
        Assert.Contains("*Open incidents* (1):", text);
        Assert.Contains("Lambda function errors: securebase-prod-user-management", text);
        Assert.Contains("*Changes being verified*: none.", text);
    }

    [Fact]
    public async Task Handoffs_turned_off_or_without_an_ops_channel_look_at_nothing()
    {
        var off = await Watcher(options: new HandoffOptions { CheckEvery = TimeSpan.Zero }).RunOnceAsync(CancellationToken.None);

        Assert.Null(off);
        Assert.Empty(await HandoffsAsync());
    }
}
