using Bot.Sandbox.Account;
using Microsoft.Extensions.DependencyInjection;
using static Bot.IntegrationTests.Changes.ChangesOverSlack;

namespace Bot.IntegrationTests.Changes;

/// <summary>
/// Production changes end to end over signed HTTP, against the sandbox account and the Slack fake: request, the requester's
/// own approval refused, a second person approves, the alias moves in the sandbox, the new version fails, and the bot
/// rolls it back by itself; a stale card; two approvers at once; a Major change needing two roles.
/// </summary>
public sealed class ChangesOverSlackTests
{
    private static async Task<string> AliasVersionAsync(ChangesOverSlack bot) =>
        bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>().Function(Function)!.Aliases["PROD"].Current.Version;

    [Fact]
    public async Task A_deploy_is_refused_to_its_requester_approved_by_another_moved_and_rolled_back_when_the_new_version_fails()
    {
        await using var bot = await ChangesOverSlack.StartAsync();
        bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>().Faults.BadNextVersion(Function, 1.0);

        Ok(await bot.CommandAsync("deploy user-management --publish --reason \"ship 1.8.0\"", "alice", "request"));
        Assert.Contains("It needs the approval of an approver (not you)", await bot.AnswerAsync("request"));
        var approve = await bot.ButtonValueAsync("wf:change:Approve");

        Ok(await bot.ClickAsync("wf:change:Approve", approve, "alice", "self"));
        Assert.Contains("someone else must approve it (two-person rule)", await bot.AnswerAsync("self"));
        Assert.Equal("7", await AliasVersionAsync(bot));

        Ok(await bot.ClickAsync("wf:change:Approve", approve, "bob", "bob"));
        await bot.WaitForCardTextAsync("now points at version");
        await bot.WaitForCardTextAsync("Rolled back automatically");

        Assert.Equal("7", await AliasVersionAsync(bot));
        var dm = await bot.Bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains("\"channel\":\"U1ALICE\"", StringComparison.Ordinal) && r.Body.Contains("was rolled back", StringComparison.Ordinal));
        Assert.Single(dm);
    }

    [Fact]
    public async Task A_click_on_an_outdated_card_changes_nothing_and_two_approvers_at_once_approve_once()
    {
        await using var bot = await ChangesOverSlack.StartAsync();
        Ok(await bot.CommandAsync("concurrency report-engine 50 --reason \"month-end\"", "alice", "request"));
        var approve = await bot.ButtonValueAsync("wf:change:Approve");

        var clicks = await Task.WhenAll(bot.ClickAsync("wf:change:Approve", approve, "bob", "bob"), bot.ClickAsync("wf:change:Approve", approve, "carol", "carol"));
        foreach (var click in clicks) Ok(click);
        await bot.WaitForCardTextAsync("Completed");

        var answers = await bot.Bot.Slack.WaitForAsync(r => r.Path is "/response/bob" or "/response/carol");
        var loser = Assert.Single(answers);
        Assert.Contains("That card is out of date", loser.Body);
        Assert.Equal(50, bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>().Function("securebase-prod-report-engine")!.ReservedConcurrency);
    }

    [Fact]
    public async Task A_major_change_needs_a_tech_lead_and_an_ops_manager()
    {
        await using var bot = await ChangesOverSlack.StartAsync();
        Ok(await bot.CommandAsync("concurrency report-engine 20 --category major --reason \"capacity plan\"", "alice", "request"));
        var approve = await bot.ButtonValueAsync("wf:change:Approve");

        Ok(await bot.ClickAsync("wf:change:Approve", approve, "bob", "bob"));
        await bot.WaitForCardTextAsync("still needed: an ops manager");
        var again = await bot.ButtonValueAsync("wf:change:Approve", atLeast: 2);
        Ok(await bot.ClickAsync("wf:change:Approve", again, "carol", "carol"));

        await bot.WaitForCardTextAsync("Completed");
        Assert.Equal(20, bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>().Function("securebase-prod-report-engine")!.ReservedConcurrency);
    }

    [Fact]
    public async Task An_emergency_change_for_an_open_incident_can_break_the_glass_and_stays_unreviewed_until_an_approver_reviews_it()
    {
        await using var bot = await ChangesOverSlack.StartAsync();
        var incident = Bot.Sandbox.PagerDuty.PagerDutyScenarios.Page(bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>(), "lambda-errors", "securebase-prod-report-engine").Incident.Id;

        Ok(await bot.CommandAsync($"concurrency report-engine 0 --category emergency --incident {incident} --reason \"stop the runaway writes\"", "alice", "request"));
        Assert.Contains("Run alone (break-glass)", await bot.AnswerAsync("request"));
        var breakGlass = await bot.ButtonValueAsync("wf:change:BreakGlass");
        Ok(await bot.ClickAsync("wf:change:BreakGlass", breakGlass, "alice", "glass"));
        await bot.WaitForCardTextAsync("BREAK-GLASS, UNREVIEWED");
        await bot.WaitForCardTextAsync("Completed");
        var review = await bot.ButtonValueAsync("wf:change:Review");
        Ok(await bot.ClickAsync("wf:change:Review", review, "alice", "self-review"));
        // Alice's refusal is answered before Carol clicks: had Carol's review landed first, Alice's click would be on an
        // outdated card and be told that instead.
        var selfReview = await bot.AnswerAsync("self-review");
        Ok(await bot.ClickAsync("wf:change:Review", review, "carol", "review"));

        await bot.WaitForCardTextAsync("Break-glass, reviewed");
        Assert.Contains("reviewed once, by someone else", selfReview);
        Assert.Equal(0, bot.Bot.Factory.Services.GetRequiredService<SandboxAccount>().Function("securebase-prod-report-engine")!.ReservedConcurrency);
    }

    [Fact]
    public async Task Changing_commands_run_only_in_the_ops_channel()
    {
        await using var bot = await ChangesOverSlack.StartAsync();

        var refused = await bot.CommandAsync("deploy user-management 8", "alice", "elsewhere", channel: "C0RANDOM");

        // A refusal is ready at once: it is the ack itself, nothing is queued and nothing changes.
        Ok(refused);
        Assert.Contains(Ops, await refused.Content.ReadAsStringAsync());
        Assert.Empty(await bot.Bot.Factory.Services.GetRequiredService<Bot.Workflows.Storage.IWorkflowStore>().ListAggregatesAsync("change", null, 10, CancellationToken.None));
    }
}
