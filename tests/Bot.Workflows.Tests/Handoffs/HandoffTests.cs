using Bot.Testing.Workflows;
using Bot.Workflows.Engine;
using Bot.Workflows.Handoffs;
using Bot.Workflows.Messages;
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Workflows.Tests.Handoffs;

/// <summary>On-call handoffs: the card tells the incoming engineer what they take over; only they say "I have it"; unclaimed, the thread reminds them, then the next level.</summary>
public sealed class HandoffTests : IncidentStoreTests
{
    private const string Id = "PSBESC1/PERIN01/1";
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
    }

    private HandoffData Data(string? incomingSlack = "U0RIA") => new()
    {
        Channel = Channel,
        Policy = "SecureBase",
        LevelName = "level 1 (DevOps engineer)",
        Outgoing = new HandoffPerson("Rob Ray", "rob@securebase.example", "U0ROB", "PROB001"),
        Incoming = new HandoffPerson("Ria Roy", "ria@securebase.example", incomingSlack, "PRIA001"),
        ShiftStart = Time.GetUtcNow(),
        ClaimWithin = TimeSpan.FromMinutes(15),
        NextLevelName = "Senior DevOps engineer",
        NextLevelNotify = "S0SENIOR",
        NextLevelOnCall = new HandoffPerson("Bob Okafor", "bob@securebase.example", null, "PBOB001"),
        Snapshot = new HandoffSnapshot(Time.GetUtcNow(),
        [
            new HandoffSection("Open incidents", [Line.Of("#42 triggered — Lambda function errors <!here>")]),
            new HandoffSection("Changes being verified", []),
            new HandoffSection("Alarms in ALARM (prod)", [], "CloudWatch answered 503"),
        ]),
    };

    private Task<FireOutcome> PostAsync(HandoffData? data = null) =>
        _host.Engine.CreateAsync(Handoff.Post(Id, data ?? Data()), new WorkflowActor("pagerduty-oncall", "PagerDuty (on-call)", ActorKind.External), "watch", null,
            CancellationToken.None);

    private Task<FireOutcome> ClaimAsync(WorkflowActor who, long? cardVersion = null) =>
        _host.Engine.FireAsync(WorkflowTrigger.For(Handoff.Type, Id, HandoffTrigger.Claim, who) with { CardVersion = cardVersion }, CancellationToken.None);

    private async Task<Handoff> LoadAsync() => (Handoff)Handoff.Definition.Restore((await Store.LoadAsync(Handoff.Type, Id, CancellationToken.None))!);

    [Fact]
    public async Task A_handoff_is_a_card_with_what_the_incoming_engineer_takes_over_and_mentions_both_engineers()
    {
        await PostAsync();

        var deliveries = await _host.DeliverAsync();
        var card = Assert.Single(deliveries, d => d.Content.Card is not null).Content.Card!;
        Assert.Equal("On-call handoff: Rob Ray → Ria Roy", card.Title);
        var details = card.Details.Select(d => d.ToPlainText()).ToList();
        Assert.Equal(["Open incidents (1):", "• #42 triggered — Lambda function errors <!here>", "Changes being verified: none.",
            "Alarms in ALARM (prod): ⚠ could not be read (CloudWatch answered 503)."], details.Select(d => d.Replace(":warning:", "⚠", StringComparison.Ordinal)));
        Assert.Equal("I have it", Assert.Single(card.Buttons).Label);
        var mentions = Assert.Single(deliveries, d => d.ThreadTs is not null).Content.Text.Spans.OfType<UserSpan>().Select(u => u.UserId).Distinct();
        Assert.Equal(["U0ROB", "U0RIA"], mentions);
    }

    [Fact]
    public async Task Only_the_incoming_engineer_says_they_have_it_from_any_version_of_the_card()
    {
        await PostAsync();
        await _host.DeliverAsync();

        var outgoing = await ClaimAsync(Rob);
        var bystander = await ClaimAsync(Nia);
        var incoming = await ClaimAsync(Ria, cardVersion: 0);
        var again = await ClaimAsync(Ria);

        Assert.Equal((FireOutcomeKind.Refused, FireOutcomeKind.Refused, FireOutcomeKind.Transitioned, FireOutcomeKind.Refused), (outgoing.Kind, bystander.Kind, incoming.Kind, again.Kind));
        Assert.Contains("only they can say they have it", outgoing.Describe());
        Assert.Contains("has it already", again.Describe());
        var handoff = await LoadAsync();
        Assert.Equal((HandoffState.Claimed, "ria"), (handoff.CurrentState, handoff.Data.ClaimedBy));
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("✅ @ria has it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unclaimed_the_thread_reminds_the_incoming_engineer_then_mentions_the_next_level_once_each()
    {
        await PostAsync();

        await _host.AdvanceAsync(TimeSpan.FromMinutes(14));
        Assert.DoesNotContain(await _host.LinesAsync(), l => l.StartsWith('⏰'));
        await _host.AdvanceAsync(TimeSpan.FromMinutes(2));
        await _host.AdvanceAsync(TimeSpan.FromMinutes(15));
        await _host.AdvanceAsync(TimeSpan.FromHours(2));

        var lines = await _host.LinesAsync();
        Assert.Single(lines, l => l.StartsWith("⏰ @Ria Roy, nobody has said they have the pager for 15 min", StringComparison.Ordinal));
        var next = Assert.Single(lines, l => l.StartsWith("⏫ The handoff is still unclaimed after 30 min", StringComparison.Ordinal));
        Assert.Contains("@Senior DevOps engineer (Bob Okafor)", next);
        var groups = (await _host.DeliverAsync()).Single(d => d.Text.StartsWith('⏫')).Content;
        Assert.True(groups.AlsoToChannel);
        Assert.Equal("S0SENIOR", Assert.Single(groups.Text.Spans.OfType<GroupSpan>()).GroupId);
    }

    [Fact]
    public async Task Claimed_in_time_nobody_is_reminded_or_called()
    {
        await PostAsync();
        await _host.AdvanceAsync(TimeSpan.FromMinutes(5));
        await ClaimAsync(Ria);

        await _host.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.DoesNotContain(await _host.LinesAsync(), l => l.StartsWith('⏰') || l.StartsWith('⏫'));
    }

    [Fact]
    public async Task Without_a_chat_account_for_the_incoming_engineer_a_responder_takes_it_but_not_the_outgoing_one()
    {
        await PostAsync(Data(incomingSlack: null));

        var outgoing = await ClaimAsync(Rob);
        var stranger = await ClaimAsync(Eve);
        var responder = await ClaimAsync(Nia);

        Assert.Equal((FireOutcomeKind.Refused, FireOutcomeKind.Refused, FireOutcomeKind.Transitioned), (outgoing.Kind, stranger.Kind, responder.Kind));
        Assert.Contains("You are handing over", outgoing.Describe());
        Assert.Contains("responder role", stranger.Describe());
    }

    [Fact]
    public async Task A_noted_shift_change_posts_nothing_and_cannot_be_claimed()
    {
        await _host.Engine.CreateAsync(Handoff.Note(Id, Data(), "the bot's first look at the on-call"), new WorkflowActor("pagerduty-oncall", "PagerDuty", ActorKind.External),
            "watch", null, CancellationToken.None);
        await _host.AdvanceAsync(TimeSpan.FromHours(1));

        var claim = await ClaimAsync(Ria);

        Assert.Empty(await _host.DeliverAsync());
        Assert.Equal(FireOutcomeKind.Refused, claim.Kind);
        Assert.Contains("only noted", claim.Describe());
    }
}
