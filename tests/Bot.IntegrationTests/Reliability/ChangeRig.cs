using System.Net;
using Bot.Sandbox.Hosting;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Storage;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// A <see cref="BotRig"/> for a production change: a deploy of <see cref="Function"/> as people would drive it — Alice
/// requests it, Bob approves it on the card — with a three-second watch window after the alias moves.
/// </summary>
public sealed class ChangeRig : BotRig
{
    public const string Function = "securebase-prod-user-management";
    public const string ApproveActionId = "wf:change:Approve";

    private ChangeRig(SandboxServer sandbox, SandboxProxy aws, SlackApiFake slack, RigStore store) : base(sandbox, aws, slack, store)
    {
        var function = sandbox.Account.Function(Function) ?? throw new InvalidOperationException($"The sandbox has no {Function}.");
        FromVersion = function.Aliases["PROD"].Current.Version;
        ToVersion = function.Versions.Select(v => v.Version).Where(v => v != FromVersion).OrderByDescending(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).First();
    }

    public string FromVersion { get; }
    public string ToVersion { get; }

    /// <summary>A rig on <paramref name="store"/> (default: a SQLite file, one instance at a time).</summary>
    public static async Task<ChangeRig> StartAsync(RigStore? store = null)
    {
        var (sandbox, aws, slack) = await StartPartsAsync();
        return new ChangeRig(sandbox, aws, slack, store ?? RigStore.Sqlite());
    }

    public override Dictionary<string, string> Environment()
    {
        var env = base.Environment();
        // A watch of three one-second periods (these suites test the move, not the watch): it may read nothing of the
        // sandbox's minutes and end "not verified" — the honest ending of a watch that saw nothing.
        env.TryAdd("Changes__MetricPeriod", "00:00:01");
        env.TryAdd("Changes__MetricLag", "00:00:00");
        env.TryAdd("Changes__VerifyWindow", "00:00:03");
        env.TryAdd("Changes__VerifyInterval", "00:00:01");
        env.TryAdd("Changes__ErrorThreshold", "1000000");
        return env;
    }

    /// <summary>Alice asks for the deploy in the ops channel (an Emergency change, so it skips the staging check but still needs Bob).</summary>
    public async Task RequestDeployAsync(RestartableBotServer bot)
    {
        var form = SlackRequestSigner.SlashCommandForm($"deploy {Function} {ToVersion} --category emergency --reason \"fault suite\"",
            Slack.ResponseUrl("deploy"), userId: Alice, userName: "alice", channelId: OpsChannel, teamId: SlackTestSettings.TeamId);
        using var response = await bot.Client.SendAsync(Signer.Form("/slack/commands", form));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/sb deploy was answered {response.StatusCode}");
    }

    /// <summary>The Approve button of the change's card, once the card reached Slack.</summary>
    public Task<(string ActionId, string Value)> ApproveButtonAsync(TimeSpan? timeout = null) => ButtonAsync(ApproveActionId, timeout);

    /// <summary>The change as stored (the only one this rig makes).</summary>
    public async Task<AggregateRecord?> ChangeAsync()
    {
        var store = await Store.OpenAsync();
        return (await store.ListAggregatesAsync("change", null, 10, CancellationToken.None)).SingleOrDefault();
    }

    /// <summary>The states a watched change ends in when nothing went wrong: healthy, or nothing read (the rig's watch is too short to read the sandbox's minutes).</summary>
    public static readonly string[] WatchEnded = ["Completed", "NotVerified"];

    /// <summary>Waits (polling the store) until the change is in one of <paramref name="states"/> and every message went out; null on timeout.</summary>
    public async Task<AggregateRecord?> WaitForStateAsync(TimeSpan timeout, params string[] states) =>
        await WaitUntilAsync(() => IsSettledInAsync(states), timeout) ? await ChangeAsync() : null;

    /// <summary>The change is in one of <paramref name="states"/> and the outbox is empty: every message it queued was delivered.</summary>
    public async Task<bool> IsSettledInAsync(params string[] states)
    {
        var state = (await ChangeAsync())?.State;
        return states.Contains(state) && await OutboxIsEmptyAsync();
    }

    /// <summary>
    /// Nothing lost and nothing twice: the alias moved once, each step of the change was audited once in an intact chain,
    /// the card and every other message reached Slack once, and no secret showed in a log line or a message.
    /// </summary>
    public async Task AssertCompletedOnceAsync()
    {
        AssertAliasMovedOnce();
        Assert.True((await VerifyAuditAsync()).Intact);
        AssertOnce(await TransitionsAsync("change"), "Create", "Approve", "PreflightPassed", "Applied");
        AssertEachMessagePostedOnce();
        Assert.Single(Slack.Taken, p => p.Body.Contains(ApproveActionId, StringComparison.Ordinal));
        AssertNoSecretsLeaked();
    }

    /// <summary>The alias moved to the new version exactly once.</summary>
    public void AssertAliasMovedOnce()
    {
        var alias = Sandbox.Account.Function(Function)!.Aliases["PROD"];
        Assert.Equal(ToVersion, alias.Current.Version);
        Assert.Single(alias.History, h => h.Version == ToVersion);
        Assert.Equal(1, Aws.Count("UpdateAlias"));
    }
}
