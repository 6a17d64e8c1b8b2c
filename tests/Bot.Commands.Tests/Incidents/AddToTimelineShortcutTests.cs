using Bot.Commands.Incidents;
using Bot.Commands.Routing;
using Bot.Testing.Commands;
using Bot.Testing.Slack;
using Bot.Testing.Workflows;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Commands.Tests.Incidents;

/// <summary>The message shortcut "Add to incident timeline": a message of an incident's thread becomes a PagerDuty note by the person who used it.</summary>
public sealed class AddToTimelineShortcutTests : IncidentStoreTests
{
    private IncidentHost _host = null!;
    private string _thread = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
        await _host.OpenAsync();
        _thread = await ThreadOfAsync(Id);
    }

    private async Task<string> ThreadOfAsync(string incidentId)
    {
        await _host.DeliverAsync();
        return (await Store.FindSentAsync($"{Incident.Type}/{incidentId}/card", CancellationToken.None))!.Ts;
    }

    private async Task<string> UseAsync(ShortcutMessage message, string userId = "U0ROB", string channel = Channel, string requestId = "U0ROB:add:1700000000.1")
    {
        var reply = new RecordingReplyChannel();
        await new AddToTimelineShortcut(_host.Engine, Store, Store).HandleAsync(new InteractionRequest
        {
            Type = InteractionRequest.MessageAction, Id = AddToTimelineShortcut.CallbackId, User = new Actor(userId, userId[2..].ToLowerInvariant()), ChannelId = channel,
            MessageTs = message.Ts, Message = message, RequestId = requestId,
        }, reply, CancellationToken.None);
        await _host.SettleAsync();
        return Assert.Single(reply.Responses).AsSlack().Text;
    }

    [Fact]
    public async Task A_message_of_the_thread_becomes_a_note_by_the_person_who_used_it_and_a_thread_line_once()
    {
        var answer = await UseAsync(new ShortcutMessage("1800000000.000100", _thread, "Pool restarted <!here>, errors dropping", "U0ALICE"));
        // PagerDuty's webhook tells of the same note again.
        await _host.Engine.FireAsync(WorkflowTrigger.For(Incident.Type, Id, IncidentTrigger.Updated, new WorkflowActor("PROB", "Rob Ray", ActorKind.External)) with
        {
            Source = TriggerSource.External,
            ArgumentsJson = new IncidentEvent(_host.Live(), Time.GetUtcNow(), "Rob Ray", "Note by Rob Ray in PagerDuty: Pool restarted") { NoteId = "PNOTE1" }.ToJson(),
        }, CancellationToken.None);

        Assert.StartsWith(":hourglass_flowing_sand: Adding that message to the PagerDuty timeline of incident `#42`", answer);
        var note = Assert.Single(_host.Pager.Writes);
        Assert.Equal(("note", "rob@securebase.example"), (note.Action, note.From));
        Assert.Equal("Pool restarted <!here>, errors dropping (a message by @U0ALICE in the incident's Slack thread)", note.Text);
        Assert.Single(await _host.LinesAsync(), l => l.Contains("Pool restarted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_card_itself_and_the_persons_own_message_are_added_as_they_are()
    {
        await UseAsync(new ShortcutMessage(_thread, null, "Lambda function errors", null));
        await UseAsync(new ShortcutMessage("1800000000.000200", _thread, "I am on it", "U0ROB"), requestId: "U0ROB:add:2");

        Assert.Equal(["Lambda function errors (a message by a bot in the incident's Slack thread)", "I am on it"], _host.Pager.Writes.Select(w => w.Text));
    }

    [Fact]
    public async Task A_message_outside_every_incidents_thread_adds_nothing_and_says_why()
    {
        var elsewhere = await UseAsync(new ShortcutMessage("1800000000.000300", "1799999999.000001", "unrelated", "U0ALICE"));
        var inTheChannel = await UseAsync(new ShortcutMessage("1800000000.000400", null, "unrelated", "U0ALICE"), requestId: "U0ROB:add:2");
        // The same thread ts in another channel is another thread.
        var otherChannel = await UseAsync(new ShortcutMessage("1800000000.000500", _thread, "unrelated", "U0ALICE"), channel: "C0OTHER", requestId: "U0ROB:add:3");

        Assert.All([elsewhere, inTheChannel, otherChannel], a => Assert.Contains("That message is not in an incident's thread", a));
        Assert.Empty(_host.Pager.Writes);
    }

    [Fact]
    public async Task A_message_goes_to_the_incident_whose_thread_it_is_in()
    {
        await _host.OpenAsync(live: _host.Live(id: "Q2SECOND") with { Number = 43 });
        var second = await ThreadOfAsync("Q2SECOND");

        await UseAsync(new ShortcutMessage("1800000000.000600", second, "DynamoDB throttling is the cause", "U0ROB"));

        Assert.Equal(("Q2SECOND", "DynamoDB throttling is the cause"), (Assert.Single(_host.Pager.Writes).IncidentId, _host.Pager.Writes[0].Text));
    }

    [Fact]
    public async Task Someone_without_the_responder_role_adds_nothing_and_a_retried_delivery_adds_it_once()
    {
        var refused = await UseAsync(new ShortcutMessage("1800000000.000700", _thread, "noise", "U0EVE"), userId: "U0EVE", requestId: "U0EVE:add:1");
        await UseAsync(new ShortcutMessage("1800000000.000800", _thread, "once", "U0ROB"), requestId: "U0ROB:add:9");
        var retried = await UseAsync(new ShortcutMessage("1800000000.000800", _thread, "once", "U0ROB"), requestId: "U0ROB:add:9");

        Assert.Contains("responder", refused);
        Assert.Contains("Already handled", retried);
        Assert.Equal(["once"], _host.Pager.Writes.Select(w => w.Text));
    }

    [Fact]
    public void A_long_message_is_cut_to_the_longest_note_taken_from_slack() =>
        Assert.Equal(Incident.MaxNoteText, AddToTimelineShortcut.NoteText(new ShortcutMessage("1", null, new string('x', 5000), "U0ROB"), "U0ROB")!.Length);
}
