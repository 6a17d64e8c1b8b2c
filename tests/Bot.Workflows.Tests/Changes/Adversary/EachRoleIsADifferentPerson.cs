using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Roles;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes.Adversary;

/// <summary>
/// Hole 6, and role loss: one person holding approver + security approved a security-relevant change alone ("1 of 2
/// (@dave)"); a Major + security change said "2 of 2 … still needed: a security reviewer"; an approval kept counting after
/// its approver lost the role. Now each seat is a different person, counted right on the card, and re-read before running.
/// </summary>
public abstract class EachRoleIsADifferentPerson : ChangeTests
{
    private async Task<string> ApprovalsLineAsync()
    {
        await DrainAsync();
        var card = Host.Chat.Deliveries.Last(d => d.Content.Card is not null).Content.Card!;
        return card.Fields.Single(f => f.Label == "Approvals").Value.ToPlainText();
    }

    private static ChangeData Data(ChangeCategory category, bool security)
    {
        var data = DeployData(category);
        data.SecurityRelevant = security;
        return data;
    }

    [Fact]
    public async Task One_person_holding_approver_and_security_fills_one_seat_of_a_security_relevant_change()
    {
        await Host.RequestAsync(Data(ChangeCategory.Standard, security: true));

        var dee = await Host.FireAsync(ChangeTrigger.Approve, Dee);

        Assert.Equal("PendingApproval", dee.To);
        Assert.Equal("1 of 2: @dee as an approver — still needed: a security reviewer (someone other than @dee)", await ApprovalsLineAsync());
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, Ben)).To);
        Assert.Equal("2 of 2: @ben as an approver, @dee as a security reviewer", await ApprovalsLineAsync());
    }

    [Fact]
    public async Task A_major_security_relevant_change_needs_three_different_people_and_the_card_counts_them()
    {
        await Host.RequestAsync(Data(ChangeCategory.Major, security: true));

        var max = await Host.FireAsync(ChangeTrigger.Approve, Max);
        var line1 = await ApprovalsLineAsync();
        var ben = await Host.FireAsync(ChangeTrigger.Approve, Ben);
        var line2 = await ApprovalsLineAsync();
        var cy = await Host.FireAsync(ChangeTrigger.Approve, Cy);
        var dee = await Host.FireAsync(ChangeTrigger.Approve, Dee);

        Assert.Equal("1 of 3: @max as a tech lead — still needed: an ops manager (someone other than @max) and a security reviewer", line1);
        Assert.Equal("2 of 3: @ben as a tech lead, @max as an ops manager — still needed: a security reviewer", line2);
        Assert.Equal(("PendingApproval", "PendingApproval"), (max.To, ben.To));
        Assert.StartsWith("Your approval would not cover what is still needed: a security reviewer", Assert.Single(cy.Reasons));
        Assert.Equal("Approved", dee.To);
    }

    [Fact]
    public async Task The_requester_holding_every_role_fills_no_seat()
    {
        var data = Data(ChangeCategory.Major, security: true);
        data.RequesterId = Max.UserId;
        data.RequesterName = Max.UserName;
        Host.Directory.Grant(Max.UserId, Role.Approver, Role.TechLead, Role.OpsManager, Role.Security);
        await Host.RequestAsync(data);

        var self = await Host.FireAsync(ChangeTrigger.Approve, Max);

        Assert.Equal(["You requested this change, so someone else must approve it (two-person rule)."], self.Reasons);
        Assert.Equal("0 of 3 — still needed: a tech lead and an ops manager and a security reviewer", await ApprovalsLineAsync());
    }

    [Fact]
    public async Task An_approver_who_lost_the_role_before_the_change_runs_no_longer_counts_and_the_card_says_who_is_needed()
    {
        await Host.RequestAsync(Data(ChangeCategory.Major, security: false));
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        Host.Directory.Grant(Ben.UserId, Role.Approver); // no longer a tech lead

        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, Cy)).To);
        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.PendingApproval, change.CurrentState);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
        Assert.Equal("1 of 2: @cy as an ops manager — still needed: a tech lead; not counting: @ben (no longer a tech lead)", await ApprovalsLineAsync());
        Assert.Contains(Host.Chat.Deliveries, d => d.Text.StartsWith("Not run: the approvers' roles were read again before running", StringComparison.Ordinal));
        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, Max)).To);
        await Host.SettleAsync();
        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task An_approver_who_lost_the_approver_role_shows_as_not_counting()
    {
        await Host.RequestAsync(Data(ChangeCategory.Standard, security: false));
        Host.Directory.Grant(Ben.UserId, Role.Approver);
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        Host.Directory.Grant(Ben.UserId); // gone
        await Host.SettleAsync();

        Assert.Equal(ChangeState.PendingApproval, (await Host.LoadAsync()).CurrentState);
        Assert.Equal("0 of 1 — still needed: an approver; not counting: @ben (no longer holds the approver role)", await ApprovalsLineAsync());
        Assert.Contains(Host.Chat.Deliveries, d => d.Channel == Ana.UserId && d.Text.StartsWith("Your change CHG-1 did not run: an approver no longer holds the role it needs.", StringComparison.Ordinal));
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }
}
