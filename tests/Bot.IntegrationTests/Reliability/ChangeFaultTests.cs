using System.Net;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// A production change while Slack and AWS fail under it and the bot process stays up: Slack rate-limits, fails after
/// taking a post, and answers too late; AWS throttles the alias move. The change completes, the alias moves once, and
/// every message reaches Slack exactly once (each post carries its delivery id, and a post whose answer was lost is
/// found in the channel's history instead of posted again). Expired credentials fail the change with a sentence a
/// person understands, and nothing moves.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class ChangeFaultTests
{
    /// <summary>Slack's answer to a post it took (the ts is never heard when the answer comes too late).</summary>
    private static readonly ScriptedResponse Took = new(200, """{"ok":true,"channel":"C0OPS","ts":"1.000001"}""");

    [Fact]
    public async Task A_change_completes_with_each_message_posted_once_through_Slack_rate_limits_errors_and_timeouts_and_AWS_throttling()
    {
        await using var rig = await ChangeRig.StartAsync();
        // One second per attempt; a Retry-After longer than half a second is left to the outbox, which holds the channel durably.
        rig.Settings["Slack__Retry__AttemptTimeout"] = "00:00:01";
        rig.Settings["Slack__Retry__MaxRetryAfter"] = "00:00:00.500";
        var tooLate = TimeSpan.FromSeconds(2);
        rig.Slack.Script("chat.postMessage",
            ScriptedResponse.RateLimited(1),                        // not taken: post again after Retry-After
            ScriptedResponse.ServerError() with { Takes = true },  // taken, then a 500: look in the channel before posting again
            Took with { Takes = true, Delay = tooLate });           // taken, the answer too late: the same
        rig.Slack.Script("chat.update", ScriptedResponse.RateLimited(1), ScriptedResponse.ServerError(), Took with { Delay = tooLate });
        var throttled = rig.Sandbox.Account.Faults.Error("UpdateAlias", "TooManyRequestsException", 429, "Rate exceeded", times: 3);
        var bot = await rig.StartBotAsync();

        await rig.RequestDeployAsync(bot);
        var button = await rig.ApproveButtonAsync();
        Assert.Equal(HttpStatusCode.OK, await rig.ClickAsync(bot, ChangeRig.Bob, button));
        var completed = await rig.WaitForStateAsync(TimeSpan.FromSeconds(90), ChangeRig.WatchEnded);

        Assert.True(completed is not null, $"The change did not complete: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        await rig.AssertCompletedOnceAsync();
        Assert.Equal(3, rig.Aws.Calls.Count(c => c.Operation == "UpdateAlias" && c.Status == 429));
        // Every scripted failure was met, and the lost answers were looked for rather than posted again.
        Assert.Contains(rig.Slack.Calls("chat.postMessage"), r => r.Status == 429);
        Assert.Contains(rig.Slack.Calls("chat.postMessage"), r => r.Status == 500);
        Assert.Contains(rig.Slack.Calls("chat.update"), r => r.Status == 429);
        Assert.NotEmpty(rig.Slack.Calls("conversations.history"));
        Assert.True(rig.Slack.TimedOut >= 2, $"{rig.Slack.TimedOut} call(s) timed out, not the post and the edit:\n{rig.Logs}");
    }

    [Fact]
    public async Task Expired_AWS_credentials_fail_the_change_with_a_sentence_a_person_understands_and_nothing_moves()
    {
        await using var rig = await ChangeRig.StartAsync();
        rig.Sandbox.Account.Faults.Error("UpdateAlias", "ExpiredTokenException", 403, "The security token included in the request is expired");
        var bot = await rig.StartBotAsync();

        await rig.RequestDeployAsync(bot);
        var button = await rig.ApproveButtonAsync();
        await rig.ClickAsync(bot, ChangeRig.Bob, button);
        var failed = await rig.WaitForStateAsync(TimeSpan.FromSeconds(60), "Failed");

        Assert.True(failed is not null, $"The change did not fail: {(await rig.ChangeAsync())?.State}\n{rig.Logs}");
        var alias = rig.Sandbox.Account.Function(ChangeRig.Function)!.Aliases["PROD"];
        Assert.Equal(rig.FromVersion, alias.Current.Version);
        Assert.DoesNotContain(alias.History, h => h.Version == rig.ToVersion);
        Assert.Equal(0, rig.Aws.Count("UpdateAlias"));
        // Tried once: expired credentials do not get better by trying again.
        Assert.Single(rig.Aws.Calls, c => c.Operation == "UpdateAlias");
        var said = rig.Slack.Requests.Where(r => r.Path.StartsWith("/api/chat.", StringComparison.Ordinal)).Select(r => r.Body).ToList();
        Assert.Contains(said, b => b.Contains("AWS credentials have expired", StringComparison.Ordinal));
        Assert.DoesNotContain(said, b => b.Contains("Exception", StringComparison.Ordinal) || b.Contains("   at ", StringComparison.Ordinal));
        rig.AssertEachMessagePostedOnce();
        rig.AssertNoSecretsLeaked();
    }
}
