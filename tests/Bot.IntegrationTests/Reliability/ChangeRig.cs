using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// What a fault suite runs a production change against, all on loopback: the sandbox account behind an
/// <see cref="AwsProxy"/>, a Slack stand-in, and bot servers in their own processes sharing one store (a SQLite file,
/// or a DynamoDB Local table for several instances). Leases, the idle poll and the watch window are short so a
/// killed instance's work is taken over within seconds. Drives a deploy of <see cref="Function"/> as people would:
/// Alice requests it, Bob approves it on the card.
/// </summary>
public sealed class ChangeRig : IAsyncDisposable
{
    public const string Function = "securebase-prod-user-management";
    public const string Alice = "U1ALICE";
    public const string Bob = "U2BOB";
    public const string Carol = "U3CAROL";
    public const string OpsChannel = "C0OPS";

    private readonly Dictionary<string, string> _storeSettings;
    private readonly Func<Task<IWorkflowStore>> _openStore;
    private readonly List<RestartableBotServer> _bots = [];
    private int _clicks;

    private ChangeRig(SandboxServer sandbox, AwsProxy aws, SlackApiFake slack, Dictionary<string, string> storeSettings, Func<Task<IWorkflowStore>> openStore)
    {
        Sandbox = sandbox;
        Aws = aws;
        Slack = slack;
        _storeSettings = storeSettings;
        _openStore = openStore;
        var function = sandbox.Account.Function(Function) ?? throw new InvalidOperationException($"The sandbox has no {Function}.");
        FromVersion = function.Aliases["PROD"].Current.Version;
        ToVersion = function.Versions.Select(v => v.Version).Where(v => v != FromVersion).OrderByDescending(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).First();
        Signer = new SlackRequestSigner(SlackTestSettings.SigningSecret);
    }

    public SandboxServer Sandbox { get; }
    public AwsProxy Aws { get; }
    public SlackApiFake Slack { get; }
    public SlackRequestSigner Signer { get; }
    public string FromVersion { get; }
    public string ToVersion { get; }

    /// <summary>A rig on a SQLite file (one instance at a time) or, with <paramref name="storeSettings"/>, another store.</summary>
    public static async Task<ChangeRig> StartAsync(Dictionary<string, string>? storeSettings = null, Func<Task<IWorkflowStore>>? openStore = null)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var aws = await AwsProxy.StartAsync(sandbox.BaseAddress);
        var slack = await SlackApiFake.StartAsync();
        var sqlite = TestStorage.NewSqlitePath();
        storeSettings ??= new() { ["Store__Provider"] = "sqlite", ["Store__SqlitePath"] = sqlite };
        openStore ??= async () =>
        {
            var store = new Bot.Workflows.Storage.Sqlite.SqliteWorkflowStore(sqlite, TimeProvider.System);
            await store.InitializeAsync(CancellationToken.None);
            return store;
        };
        return new ChangeRig(sandbox, aws, slack, storeSettings, openStore);
    }

    /// <summary>The environment of every instance: the server's real configuration names, pointed at the loopback stand-ins.</summary>
    public Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(_storeSettings)
        {
            ["Slack__SigningSecret"] = SlackTestSettings.SigningSecret,
            ["Slack__BotToken"] = SlackTestSettings.BotToken,
            ["Slack__ApiBaseUrl"] = Slack.ApiBaseUrl,
            ["Slack__TeamId"] = SlackTestSettings.TeamId,
            ["Slack__OpsChannelId"] = OpsChannel,
            ["Slack__Retry__BaseDelay"] = "00:00:00.050",
            ["Rbac__Roles__approver__Users__0"] = Alice,
            ["Rbac__Roles__approver__Users__1"] = Bob,
            ["Rbac__Roles__approver__Users__2"] = Carol,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = Sandbox.Account.Options.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = Sandbox.Account.Options.SecretAccessKey,
            ["AWS_ENDPOINT_URL"] = Aws.BaseAddress.ToString(),
            ["Changes__VerifyWindow"] = "00:00:03",
            ["Changes__VerifyInterval"] = "00:00:01",
            ["Changes__ErrorThreshold"] = "1000000",
            ["Workers__IdlePoll"] = "00:00:01",
            ["Workers__OutboxLease"] = "00:00:03",
            ["Workers__TimerLease"] = "00:00:03",
            ["Workers__ActivityLease"] = "00:00:05",
            ["Reports__DailyHealth__Enabled"] = "false",
        };
        return env;
    }

    public async Task<RestartableBotServer> StartBotAsync()
    {
        var bot = await RestartableBotServer.StartAsync(Environment());
        _bots.Add(bot);
        return bot;
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
    public async Task<(string ActionId, string Value)> ApproveButtonAsync(TimeSpan? timeout = null)
    {
        var post = (await Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains(ApproveActionId, StringComparison.Ordinal), timeout: timeout ?? TimeSpan.FromSeconds(60)))[0];
        return (ApproveActionId, SlackClicks.ButtonValue(post.Body, ApproveActionId) ?? throw new InvalidOperationException("The card has no Approve button."));
    }

    public const string ApproveActionId = "wf:change:Approve";

    /// <summary>A person clicks a button on the card (a new click each time: its own action_ts and trigger id).</summary>
    public async Task<HttpStatusCode> ClickAsync(RestartableBotServer bot, string userId, (string ActionId, string Value) button) =>
        await SendClickAsync(bot, ClickForm(userId, button));

    /// <summary>Posts a click's form as Slack would (signed now): the same form twice is a replay.</summary>
    public async Task<HttpStatusCode> SendClickAsync(RestartableBotServer bot, string form)
    {
        using var response = await bot.Client.SendAsync(Signer.Form("/slack/interactions", form));
        return response.StatusCode;
    }

    /// <summary>The form body of one click on <paramref name="button"/> by <paramref name="userId"/>.</summary>
    public string ClickForm(string userId, (string ActionId, string Value) button)
    {
        var n = Interlocked.Increment(ref _clicks);
        var payload = SlackClicks.Payload(SlackTestSettings.TeamId, userId, userId.ToLowerInvariant(), OpsChannel, button.ActionId, button.Value,
            Slack.ResponseUrl($"click-{n}"), $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{n:D6}");
        return SlackRequestSigner.InteractionForm(payload);
    }

    /// <summary>The change as stored (the only one this rig makes).</summary>
    public async Task<AggregateRecord?> ChangeAsync()
    {
        var store = await _openStore();
        return (await store.ListAggregatesAsync("change", null, 10, CancellationToken.None)).SingleOrDefault();
    }

    /// <summary>Waits (polling the store) until the change is in <paramref name="state"/> and every message went out; null on timeout.</summary>
    public async Task<AggregateRecord?> WaitForStateAsync(string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await IsSettledInAsync(state) && await ChangeAsync() is { } change) return change;
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>The change is in <paramref name="state"/> and the outbox is empty: every message it queued was delivered.</summary>
    public async Task<bool> IsSettledInAsync(string state)
    {
        var store = await _openStore();
        return (await ChangeAsync())?.State == state && await store.CountPendingOutboxAsync(CancellationToken.None) == 0;
    }

    public async Task<List<AuditRecord>> AuditChainAsync()
    {
        var store = await _openStore();
        var chain = new List<AuditRecord>();
        await foreach (var record in store.ReadAuditChainAsync(CancellationToken.None)) chain.Add(record);
        return chain;
    }

    public async Task<AuditVerification> VerifyAuditAsync()
    {
        var store = await _openStore();
        return await AuditChain.VerifyAsync(store.ReadAuditChainAsync(CancellationToken.None), CancellationToken.None);
    }

    /// <summary>The delivery ids the bot tagged its posts with: one post per outbox message means no id twice.</summary>
    public IReadOnlyList<string> DeliveryIds() =>
        Slack.Calls("chat.postMessage").Where(r => r.Status == 200)
            .Select(r => JsonNode.Parse(r.Body)?["metadata"]?["event_payload"]?["delivery_id"]?.GetValue<string>())
            .OfType<string>().ToList();

    /// <summary>No secret (Slack signing secret and bot token, the AWS secret key) in any log line or Slack message of the run.</summary>
    public void AssertNoSecretsLeaked()
    {
        foreach (var secret in new[] { SlackTestSettings.SigningSecret, SlackTestSettings.BotToken, Sandbox.Account.Options.SecretAccessKey })
        {
            Assert.DoesNotContain(secret, Logs, StringComparison.Ordinal);
            Assert.DoesNotContain(Slack.Requests, r => r.Body.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>Everything every instance printed, for failure messages and the secrets check.</summary>
    public string Logs => string.Join("\n==== next instance ====\n", _bots.Select(b => b.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var bot in _bots) await bot.DisposeAsync();
        await Slack.DisposeAsync();
        await Aws.DisposeAsync();
        await Sandbox.DisposeAsync();
        if (_storeSettings.TryGetValue("Store__SqlitePath", out var path)) TestStorage.Delete(path);
    }
}
