using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes.Adversary;

/// <summary>
/// Holes 3 and 4, and routing: a Rollback change's card offered its requester a one-click undo to the version the team
/// had just rejected; an old deploy's "Roll back to v7" stayed after a later approved deploy, and a click marked the good
/// deploy Failed; a weighted alias kept sending traffic elsewhere after a deploy.
/// </summary>
public abstract class RollbacksCannotBeAbused : ChangeTests
{
    private static ChangeData Move(ChangeKind kind, string from, string to, string fromSha, string toSha, string requester = "U0CY", string name = "cy")
    {
        var data = DeployData();
        data.Spec = new ChangeSpec
        {
            Kind = kind, Environment = "prod", Function = Fn, FromVersion = from, ToVersion = to, FromCodeSha256 = fromSha, ToCodeSha256 = toSha,
        };
        data.RequesterId = requester;
        data.RequesterName = name;
        data.StagingFunction = null;
        return data;
    }

    private async Task<Change> CompleteAsync(ChangeData data, string id, WorkflowActor approver)
    {
        await Host.RequestAsync(data, id);
        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, approver, id: id)).To);
        await Host.SettleAsync();
        await Host.WatchAsync(TimeSpan.FromMinutes(11));
        var change = await Host.LoadAsync(id);
        Assert.Equal(ChangeState.Completed, change.CurrentState);
        return change;
    }

    private Card LastCard(string id) => Host.Chat.Deliveries.Last(d => d.Content.Card?.Title.StartsWith($"Change {id}:", StringComparison.Ordinal) == true).Content.Card!;

    [Fact]
    public async Task An_approved_rollback_offers_nobody_a_one_click_undo()
    {
        Host.Cloud.MoveByHand(Fn, "8");
        await CompleteAsync(Move(ChangeKind.Rollback, "8", "7", "sha-eight", "sha-seven"), "CHG-RB", Ben);
        await DrainAsync();

        var undo = await Host.FireAsync(ChangeTrigger.RollBack, Cy, "v8 was fine after all", id: "CHG-RB");

        Assert.Equal(FireOutcomeKind.Refused, undo.Kind);
        Assert.StartsWith("A rollback change has no one-click undo", Assert.Single(undo.Reasons));
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
        Assert.Empty(LastCard("CHG-RB").Buttons);
    }

    [Fact]
    public async Task A_rollback_change_being_watched_has_no_roll_back_now_button_and_is_not_undone_by_its_errors()
    {
        Host.Cloud.MoveByHand(Fn, "8");
        await Host.RequestAsync(Move(ChangeKind.Rollback, "8", "7", "sha-eight", "sha-seven"), "CHG-RB");
        await Host.FireAsync(ChangeTrigger.Approve, Ben, id: "CHG-RB");
        await Host.SettleAsync();
        await DrainAsync();
        Assert.DoesNotContain(LastCard("CHG-RB").Buttons, b => b.Trigger == nameof(ChangeTrigger.RollBack));
        Host.Cloud.Errors["7"] = 900;

        await Host.WatchAsync(TimeSpan.FromMinutes(3));

        var change = await Host.LoadAsync("CHG-RB");
        Assert.Equal(ChangeState.NotVerified, change.CurrentState);
        Assert.EndsWith("nothing was moved back (a rollback is not undone by itself)", change.Data.NotVerifiedReason);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task A_later_deploy_closes_the_one_click_rollback_of_the_earlier_one_and_an_old_click_leaves_it_completed()
    {
        Host.Cloud.Function(Fn, "7", ("7", "sha-seven", "1.7.0"), ("8", "sha-eight", "1.8.0"), ("9", "sha-nine", "1.9.0"));
        var a = await CompleteAsync(Move(ChangeKind.Deploy, "7", "8", "sha-seven", "sha-eight"), "CHG-A", Ben);
        await DrainAsync();
        var oldButton = LastCard("CHG-A").Ref!.Version;
        Assert.Contains(LastCard("CHG-A").Buttons, b => b.Label == "Roll back to v7");

        await CompleteAsync(Move(ChangeKind.Deploy, "8", "9", "sha-eight", "sha-nine", "U0ANA", "ana"), "CHG-B", Ben);
        await DrainAsync();
        var stale = await Host.Engine.FireAsync(WorkflowTrigger.For(Change.Type, "CHG-A", ChangeTrigger.RollBack, Cy) with
        {
            CardVersion = oldButton,
            ArgumentsJson = """{"input":"v8 is bad"}""",
        }, CancellationToken.None);
        var direct = await Host.FireAsync(ChangeTrigger.RollBack, Cy, "v8 is bad", id: "CHG-A");

        var after = await Host.LoadAsync("CHG-A");
        Assert.Equal(FireOutcomeKind.Stale, stale.Kind);
        Assert.StartsWith("A later change moved the alias on", Assert.Single(direct.Reasons));
        Assert.Equal((ChangeState.Completed, "CHG-B"), (after.CurrentState, after.Data.SupersededBy));
        Assert.Empty(LastCard("CHG-A").Buttons);
        Assert.Contains("since moved on by CHG-B", LastCard("CHG-A").Status!.ToPlainText());
        Assert.Equal("9", Host.Cloud.AliasVersion(Fn));
        Assert.Equal(a.Data.AppliedAt, after.Data.AppliedAt);
    }

    [Fact]
    public async Task A_one_click_rollback_after_someone_moved_the_alias_by_hand_changes_nothing_and_the_deploy_stays_completed()
    {
        await CompleteAsync(Move(ChangeKind.Deploy, "7", "8", "sha-seven", "sha-eight"), "CHG-A", Ben);
        Host.Cloud.MoveByHand(Fn, "6");

        var click = await Host.FireAsync(ChangeTrigger.RollBack, Cy, "v8 is bad", id: "CHG-A");
        await Host.SettleAsync();
        await DrainAsync();

        var change = await Host.LoadAsync("CHG-A");
        Assert.Equal(FireOutcomeKind.Transitioned, click.Kind);
        Assert.Equal(ChangeState.Completed, change.CurrentState);
        Assert.Null(change.Data.RollbackUntil);
        Assert.Equal("6", Host.Cloud.AliasVersion(Fn));
        Assert.Contains(Host.Chat.Deliveries, d => d.Channel == Cy.UserId && d.Text.StartsWith("Your rollback of CHG-A did not run:", StringComparison.Ordinal));
        Assert.Empty(LastCard("CHG-A").Buttons);
    }

    [Fact]
    public async Task A_deploy_clears_the_aliass_weights_explicitly_and_stops_when_they_changed_since_the_approval()
    {
        Host.Cloud.Weigh(Fn, "6", 0.1);
        var data = Move(ChangeKind.Deploy, "7", "8", "sha-seven", "sha-eight");
        data.Spec.FromWeights = new() { ["6"] = 0.1 };
        await CompleteAsync(data, "CHG-W", Ben);
        Assert.Empty((await Host.Cloud.GetAliasAsync(Fn, "PROD", CancellationToken.None)).Weights);

        Host.Cloud.Weigh(Fn, "7", 0.2);
        await Host.RequestAsync(Move(ChangeKind.Deploy, "8", "6", "sha-eight", "sha-six"), "CHG-X");
        await Host.FireAsync(ChangeTrigger.Approve, Ben, id: "CHG-X");
        await Host.SettleAsync();

        var stopped = await Host.LoadAsync("CHG-X");
        Assert.Equal(ChangeState.Failed, stopped.CurrentState);
        Assert.StartsWith("PROD of securebase-prod-user-management routes traffic differently now (20% to v7)", stopped.Data.Finding);
        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task The_move_after_the_approving_click_reads_the_alias_once()
    {
        await Host.RequestAsync(DeployData());

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();

        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
        Assert.Equal(1, Host.Cloud.Calls["GetAlias"]);
    }
}
