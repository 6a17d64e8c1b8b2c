using Bot.Testing.Workflows;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using static Bot.Testing.Workflows.IncidentHost;

namespace Bot.Workflows.Tests.Incidents;

/// <summary>From Slack into the incident: notes, status updates and reassignments reach PagerDuty as the person, and the thread shows each once.</summary>
public sealed class IncidentFromSlackTests : IncidentStoreTests
{
    private IncidentHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = new IncidentHost(Store, Time);
        await _host.OpenAsync();
    }

    [Fact]
    public async Task A_note_reaches_pagerduty_as_the_person_and_shows_in_the_thread_as_text()
    {
        var asked = await _host.ClickAsync(IncidentTrigger.AddNote, Rob, "Rolled PROD back to v41 <!here>");
        await _host.SettleAsync();

        Assert.Equal(FireOutcomeKind.Transitioned, asked.Kind);
        Assert.Equal(new FakePager.Write("note", Id, "rob@securebase.example", Text: "Rolled PROD back to v41 <!here>"), Assert.Single(_host.Pager.Writes));
        var note = Assert.Single(await _host.DeliverAsync(), d => d.Text.StartsWith("📝", StringComparison.Ordinal));
        Assert.Equal("📝 Note by @rob: Rolled PROD back to v41 <!here>", note.Text);
        Assert.All(note.Content.Text.Spans, span => Assert.IsType<Bot.Workflows.Messages.TextSpan>(span));
    }

    [Fact]
    public async Task The_webhook_of_a_note_added_from_slack_is_not_shown_again()
    {
        await _host.ClickAsync(IncidentTrigger.AddNote, Rob, "Rolled back");
        await _host.SettleAsync();

        await _host.Engine.FireAsync(WorkflowTrigger.For(Incident.Type, Id, IncidentTrigger.Updated, new WorkflowActor("PROB", "Rob Ray", ActorKind.External)) with
        {
            Source = TriggerSource.External,
            ArgumentsJson = new IncidentEvent(_host.Live(), Time.GetUtcNow(), "Rob Ray", "Note by Rob Ray in PagerDuty: Rolled back") { NoteId = "PNOTE1" }.ToJson(),
        }, CancellationToken.None);

        Assert.Single(await _host.LinesAsync(), l => l.Contains("Rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_status_update_is_published_as_the_person_and_shown_in_the_thread()
    {
        await _host.ClickAsync(IncidentTrigger.PublishUpdate, Ria, "Logins work again");
        await _host.SettleAsync();

        Assert.Equal(new FakePager.Write("status-update", Id, "ria@securebase.example", Text: "Logins work again"), Assert.Single(_host.Pager.Writes));
        Assert.Contains("📣 Status update by @ria: Logins work again", await _host.LinesAsync());
    }

    [Fact]
    public async Task Reassigning_to_a_level_escalates_there_as_the_person()
    {
        await _host.ClickAsync(IncidentTrigger.Reassign, Rob, "level 3");
        await _host.SettleAsync();

        Assert.Equal(new FakePager.Write("escalate", Id, "rob@securebase.example", Level: 3), Assert.Single(_host.Pager.Writes));
        Assert.Equal(2, (await _host.LoadAsync()).Data.Level);
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("⏫ Escalated to level 3 (Engineering manager) by @rob.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reassigning_to_a_person_assigns_directly_and_the_clock_stops_saying_so()
    {
        await _host.ClickAsync(IncidentTrigger.Reassign, Rob, "ria@securebase.example");
        await _host.SettleAsync();
        await _host.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Equal(new FakePager.Write("assign", Id, "rob@securebase.example", Text: "ria@securebase.example"), Assert.Single(_host.Pager.Writes));
        Assert.Contains(await _host.LinesAsync(), l => l.StartsWith("👤 Reassigned to Ria Roy by @rob: a direct assignment", StringComparison.Ordinal));
        Assert.Null((await _host.LoadAsync()).Data.DeadlineAt);
    }

    [Theory]
    [InlineData(IncidentTrigger.AddNote, null, "Say what to note, in quotes")]
    [InlineData(IncidentTrigger.PublishUpdate, "  ", "Say what to tell the stakeholders")]
    [InlineData(IncidentTrigger.Reassign, "level 9", "Say whom to assign it to")]
    [InlineData(IncidentTrigger.Reassign, "bob", "Say whom to assign it to")]
    public async Task Without_what_to_send_nothing_reaches_pagerduty(IncidentTrigger trigger, string? input, string expected)
    {
        var outcome = await _host.ClickAsync(trigger, Rob, input);

        Assert.StartsWith(expected, Assert.Single(outcome.Reasons), StringComparison.Ordinal);
        Assert.Empty(_host.Pager.Writes);
    }

    [Fact]
    public async Task A_resolved_incident_still_takes_notes_for_the_postmortem_but_no_reassignment()
    {
        await _host.NewsAsync(IncidentTrigger.Resolved, _host.Live(PagerIncident.Resolved));

        var note = await _host.ClickAsync(IncidentTrigger.AddNote, Rob, "Root cause: a bad config push");
        var reassign = await _host.ClickAsync(IncidentTrigger.Reassign, Rob, "level 2");

        Assert.Equal(FireOutcomeKind.Transitioned, note.Kind);
        Assert.StartsWith("Incident #42 is already resolved", Assert.Single(reassign.Reasons), StringComparison.Ordinal);
    }
}
