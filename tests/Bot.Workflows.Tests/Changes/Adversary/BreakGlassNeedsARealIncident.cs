using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes.Adversary;

/// <summary>
/// Hole 2: "open" was checked once, at the request; Run alone read the saved flag, had no expiry guard, and any incident
/// counted — one the requester paged herself a minute earlier, or one resolved since. Now the click asks PagerDuty.
/// </summary>
public abstract class BreakGlassNeedsARealIncident : ChangeTests
{
    private const string Incident = "Q1INCIDENT";

    private async Task RequestEmergencyAsync(PagerIncident incident, PagerTrigger? openedBy, TimeSpan? expiresIn = null)
    {
        Host.Pager.Put(incident);
        if (openedBy is not null) Host.Pager.OpenedBy(incident.Id, openedBy);
        var data = DeployData(ChangeCategory.Emergency);
        data.IncidentId = incident.Id;
        data.IncidentVerifiedOpen = true;
        await Host.RequestAsync(data, expiresIn: expiresIn ?? TimeSpan.FromHours(4));
    }

    private static PagerIncident Open(string status = PagerIncident.Triggered, string serviceId = "PSBLMB1", string? key = null) =>
        new(Incident, status, "user-management failing for every login") { ServiceId = serviceId, Service = serviceId == "PSBLMB1" ? "securebase-prod-lambda" : "marketing-site", IncidentKey = key };

    private static readonly PagerTrigger ByMonitoring = new("service_reference", "PSBLMB1", "securebase-prod-lambda");

    private async Task<Change> BreakGlassAsync()
    {
        var click = await Host.FireAsync(ChangeTrigger.BreakGlass, Ana);
        Assert.Equal(FireOutcomeKind.Transitioned, click.Kind);
        await Host.SettleAsync();
        await DrainAsync();
        return await Host.LoadAsync();
    }

    [Fact]
    public async Task A_real_open_incident_raised_by_monitoring_lets_the_requester_run_alone_and_it_shows_unreviewed()
    {
        await RequestEmergencyAsync(Open(), ByMonitoring);

        var change = await BreakGlassAsync();

        Assert.Equal((ChangeState.Verifying, true, true), (change.CurrentState, change.Data.BreakGlass, change.Data.Unreviewed));
        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
        Assert.Contains("opened by securebase-prod-lambda", change.Data.IncidentFinding);
    }

    [Fact]
    public async Task An_incident_resolved_after_the_request_is_checked_again_at_the_click_and_refused()
    {
        await RequestEmergencyAsync(Open(), ByMonitoring);
        Host.Pager.Put(Open(PagerIncident.Resolved) with { LastChangeBy = "ana" });

        var change = await BreakGlassAsync();

        Assert.Equal(ChangeState.PendingApproval, change.CurrentState);
        Assert.False(change.Data.BreakGlass);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
        Assert.Equal("incident Q1INCIDENT is resolved (by ana); break-glass needs one that is triggered or acknowledged", change.Data.IncidentFinding);
        Assert.Contains(Host.Chat.Deliveries, d => d.Channel == Ana.UserId && d.Text.StartsWith("Break-glass for your change CHG-1 was refused: incident Q1INCIDENT is resolved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_incident_the_requester_paged_herself_with_the_bot_does_not_count()
    {
        await RequestEmergencyAsync(Open(key: SecureBaseIncidents.PageKey(Ana.UserId, "req-42")), ByMonitoring);

        var change = await BreakGlassAsync();

        Assert.Equal(ChangeState.PendingApproval, change.CurrentState);
        Assert.StartsWith("you opened incident Q1INCIDENT yourself (with /sb page)", change.Data.IncidentFinding);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task An_incident_someone_else_paged_with_the_bot_counts()
    {
        await RequestEmergencyAsync(Open(key: SecureBaseIncidents.PageKey(Rob.UserId, "req-43")), ByMonitoring);

        Assert.True((await BreakGlassAsync()).Data.BreakGlass);
    }

    [Fact]
    public async Task An_incident_the_requester_opened_in_PagerDuty_as_herself_does_not_count()
    {
        Host.Directory.Email(Ana.UserId, "ana@securebase.example");
        Host.Pager.User("ana@securebase.example", "ana");
        await RequestEmergencyAsync(Open(), new PagerTrigger("user_reference", "PANA", "Ana"));

        var change = await BreakGlassAsync();

        Assert.Equal(ChangeState.PendingApproval, change.CurrentState);
        Assert.StartsWith("you opened incident Q1INCIDENT yourself (as ana in PagerDuty)", change.Data.IncidentFinding);
    }

    [Fact]
    public async Task An_incident_on_a_service_that_is_not_SecureBase_does_not_count()
    {
        await RequestEmergencyAsync(Open(serviceId: "PMARKET"), new PagerTrigger("service_reference", "PMARKET", "marketing-site"));

        var change = await BreakGlassAsync();

        Assert.Equal(ChangeState.PendingApproval, change.CurrentState);
        Assert.StartsWith("incident Q1INCIDENT is on marketing-site, not one of the SecureBase services", change.Data.IncidentFinding);
    }

    [Fact]
    public async Task When_PagerDuty_cannot_be_read_the_answer_is_no()
    {
        await RequestEmergencyAsync(Open(), ByMonitoring);
        Host.Pager.FailNextRead = new PortException("Unreachable", "PagerDuty could not be reached.", transient: true);

        var change = await BreakGlassAsync();

        Assert.Equal(ChangeState.PendingApproval, change.CurrentState);
        Assert.StartsWith("PagerDuty could not be asked about incident Q1INCIDENT", change.Data.IncidentFinding);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task An_incident_whose_opener_PagerDuty_does_not_name_does_not_count()
    {
        await RequestEmergencyAsync(Open(), openedBy: null);

        Assert.StartsWith("PagerDuty does not say who opened incident Q1INCIDENT", (await BreakGlassAsync()).Data.IncidentFinding);
    }

    [Fact]
    public async Task An_expired_change_cannot_break_the_glass()
    {
        await RequestEmergencyAsync(Open(), ByMonitoring, expiresIn: TimeSpan.FromHours(1));
        Time.Advance(TimeSpan.FromHours(1));

        var click = await Host.FireAsync(ChangeTrigger.BreakGlass, Ana);

        Assert.Equal(["This change has expired; request it again."], click.Reasons);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task Nobody_but_the_requester_and_nothing_but_an_emergency_breaks_the_glass()
    {
        await RequestEmergencyAsync(Open(), ByMonitoring);
        await Host.RequestAsync(DeployData(), "CHG-2");

        var other = await Host.FireAsync(ChangeTrigger.BreakGlass, Ben);
        var standard = await Host.FireAsync(ChangeTrigger.BreakGlass, Ana, id: "CHG-2");
        Host.Directory.Grant(Ana.UserId); // Ana holds no role any more
        var roleless = await Host.FireAsync(ChangeTrigger.BreakGlass, Ana);

        Assert.Equal(["Only the requester can break the glass on their own change."], other.Reasons);
        Assert.Equal(["Only an Emergency change can run without a second person."], standard.Reasons);
        Assert.Equal(["Breaking the glass needs the approver or responder role."], roleless.Reasons);
    }

    [Fact]
    public async Task An_unreviewed_break_glass_change_is_reminded_every_four_hours_and_after_a_day_the_ops_managers_are_called()
    {
        await RequestEmergencyAsync(Open(), ByMonitoring);
        var data = (await Host.LoadAsync()).Data;
        await BreakGlassAsync();

        for (var i = 0; i < 8; i++)
        {
            Time.Advance(Change.ReviewReminderEvery);
            await Host.SettleAsync();
        }
        await DrainAsync();

        var change = await Host.LoadAsync();
        Assert.True(change.Data.Unreviewed);
        Assert.Equal(8, change.Data.ReviewReminders);
        Assert.NotNull(change.Data.ReviewEscalatedAt);
        Assert.Single(Host.Chat.Deliveries, d => d.Text.StartsWith("Unreviewed for a day:", StringComparison.Ordinal) && d.Content.AlsoToChannel);
        Assert.Equal(7, Host.Chat.Deliveries.Count(d => d.Text.StartsWith("Reminder: this break-glass change is still unreviewed", StringComparison.Ordinal)));
        Assert.Empty(data.Approvals);
    }
}
