using System.Text.Json;
using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes.Adversary;

/// <summary>
/// The remaining rules: the digest is recomputed before running; a freeze stops Standard changes at run time too;
/// approvers are asked on the card and reminded in the thread; an approval may carry a comment.
/// </summary>
public abstract class ApproversAreAskedAndTheRulesHold : ChangeTests
{
    [Fact]
    public async Task A_change_altered_in_the_store_after_its_approval_does_not_run()
    {
        await Host.RequestAsync(DeployData());
        var record = (await Host.Store.LoadAsync(Change.Type, "CHG-1", CancellationToken.None))!;
        var altered = record.Data.Replace("\"toVersion\":\"8\"", "\"toVersion\":\"6\"", StringComparison.Ordinal).Replace("\"toCodeSha256\":\"sha-eight\"", "\"toCodeSha256\":\"sha-six\"", StringComparison.Ordinal);
        Assert.NotEqual(record.Data, altered);
        await Host.Store.CommitAsync(new UnitOfWork
        {
            Aggregate = record with { Data = altered, Version = record.Version + 1 },
            ExpectedVersion = record.Version,
            Audit = new Bot.Workflows.Audit.AuditDraft { At = Time.GetUtcNow(), ActorId = "mallory", ActorName = "mallory", Action = "tamper" },
        }, CancellationToken.None);

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.Contains("no longer hashes to its approved digest", change.Data.Finding);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task A_freeze_that_began_after_the_request_stops_a_standard_change_but_not_an_emergency()
    {
        await Host.RequestAsync(DeployData());
        Host.FreezeWindows.Add(new FreezeWindow(Time.GetUtcNow(), Time.GetUtcNow() + TimeSpan.FromDays(2), "year-end freeze"));

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();
        var standard = await Host.LoadAsync();
        await Host.RequestAsync(DeployData(ChangeCategory.Emergency), "CHG-2");
        await Host.FireAsync(ChangeTrigger.Approve, Ben, id: "CHG-2");
        await Host.SettleAsync();

        Assert.Equal(ChangeState.Failed, standard.CurrentState);
        Assert.StartsWith("changes are frozen until 2026-12-02 14:02 UTC (year-end freeze)", standard.Data.Finding);
        Assert.Equal(ChangeState.Verifying, (await Host.LoadAsync("CHG-2")).CurrentState);
        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task The_card_asks_the_approver_groups_and_the_thread_reminds_them_at_half_time_and_an_hour_before_expiry()
    {
        var data = DeployData(ChangeCategory.Major);
        data.Contacts[Role.TechLead] = new RoleContacts { Groups = ["STECHLEADS"] };
        data.Contacts[Role.OpsManager] = new RoleContacts { Users = ["U0CY"] };
        await Host.RequestAsync(data, expiresIn: TimeSpan.FromHours(24));
        await DrainAsync();
        var card = Host.Chat.Deliveries.First(d => d.Content.Card is not null).Content.Card!;

        Time.Advance(TimeSpan.FromHours(12));
        await Host.SettleAsync();
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        Time.Advance(TimeSpan.FromHours(11));
        await Host.SettleAsync();
        await DrainAsync();

        Assert.Equal("a tech lead: @tech-lead; an ops manager: @U0CY (not the requester)", card.Fields.Single(f => f.Label == "Asking").Value.ToPlainText());
        var reminders = Host.Chat.Deliveries.Where(d => d.Text.StartsWith("Reminder: this change still needs", StringComparison.Ordinal)).Select(d => d.Text).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.StartsWith("Reminder: this change still needs a tech lead (@tech-lead) and an ops manager (@U0CY); it expires at", reminders[0]);
        Assert.StartsWith("Reminder: this change still needs an ops manager (@U0CY); it expires in an hour, at", reminders[1]);
        Assert.Contains(Host.Chat.Deliveries.First(d => d.Text.StartsWith("Reminder", StringComparison.Ordinal)).Content.Text.Spans, s => s is Bot.Workflows.Messages.GroupSpan { GroupId: "STECHLEADS" });
    }

    [Fact]
    public async Task An_approval_may_carry_a_comment_shown_on_the_card_and_kept_in_the_audit_trail()
    {
        await Host.RequestAsync(DeployData());

        await Host.FireAsync(ChangeTrigger.Approve, Ben, "checked the staging run; ship it");
        await DrainAsync();

        var card = Host.Chat.Deliveries.Where(d => d.Content.Card is not null).Select(d => d.Content.Card!).Last();
        Assert.Contains("@ben as an approver (“checked the staging run; ship it”)", card.Fields.Single(f => f.Label == "Approvals").Value.ToPlainText());
        var records = new List<Bot.Workflows.Audit.AuditRecord>();
        await foreach (var record in Host.Store.ReadAuditChainAsync(CancellationToken.None)) records.Add(record);
        var approval = records.Single(r => r.Action == nameof(ChangeTrigger.Approve));
        Assert.Equal("checked the staging run; ship it", JsonDocument.Parse(approval.DetailsJson!).RootElement.GetProperty("comment").GetString());
    }
}
