using System.Net;
using System.Text.Json.Nodes;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// What a fault suite runs the bot against, all on loopback: the sandbox account behind a <see cref="SandboxProxy"/>, a
/// Slack stand-in, and bot servers in their own processes sharing one store (<see cref="RigStore"/>). Leases and the idle
/// poll are short so a killed instance's work is taken over within seconds. The people: Alice, Bob and Carol, approvers
/// in the ops channel. <see cref="ChangeRig"/> drives a change, <see cref="IncidentRig"/> an incident.
/// </summary>
public abstract class BotRig : IAsyncDisposable
{
    public const string Alice = "U1ALICE";
    public const string Bob = "U2BOB";
    public const string Carol = "U3CAROL";
    public const string OpsChannel = "C0OPS";

    private readonly List<RestartableBotServer> _bots = [];
    private int _clicks;

    protected BotRig(SandboxServer sandbox, SandboxProxy aws, SlackApiFake slack, RigStore store)
    {
        Sandbox = sandbox;
        Aws = aws;
        Slack = slack;
        Store = store;
        Signer = new SlackRequestSigner(SlackTestSettings.SigningSecret);
    }

    public SandboxServer Sandbox { get; }
    /// <summary>The bot's AWS calls (<c>AWS_ENDPOINT_URL</c>) go through this proxy to the sandbox.</summary>
    public SandboxProxy Aws { get; }
    public SlackApiFake Slack { get; }
    public RigStore Store { get; }
    public SlackRequestSigner Signer { get; }

    /// <summary>Settings a test adds to (or overrides in) every instance's environment.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>The sandbox, the AWS proxy and the Slack stand-in, started.</summary>
    protected static async Task<(SandboxServer Sandbox, SandboxProxy Aws, SlackApiFake Slack)> StartPartsAsync(SandboxOptions? options = null)
    {
        var sandbox = await SandboxServer.StartAsync(options ?? new SandboxOptions());
        var aws = await SandboxProxy.StartAsync(sandbox.BaseAddress);
        var slack = await SlackApiFake.StartAsync();
        return (sandbox, aws, slack);
    }

    /// <summary>The environment of every instance: the server's real configuration names, pointed at the loopback stand-ins.</summary>
    public virtual Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(Store.Settings)
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
            ["Aws__RetryBaseDelay"] = "00:00:00.050",
            ["Workers__IdlePoll"] = "00:00:01",
            ["Workers__OutboxLease"] = "00:00:03",
            ["Workers__TimerLease"] = "00:00:03",
            ["Workers__ActivityLease"] = "00:00:05",
            ["Workers__InboxLease"] = "00:00:03",
            ["Reports__DailyHealth__Enabled"] = "false",
            // Failure messages show when each line was written.
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        foreach (var (key, value) in Settings) env[key] = value;
        return env;
    }

    /// <summary>The instances whose process is up now.</summary>
    protected IEnumerable<RestartableBotServer> Running => _bots.Where(b => b.IsRunning).ToList();

    /// <param name="botDll">Another build of the bot (the previous release's, for a rolling deploy); default this one.</param>
    public async Task<RestartableBotServer> StartBotAsync(string? botDll = null)
    {
        var bot = await RestartableBotServer.StartAsync(Environment(), botDll: botDll);
        _bots.Add(bot);
        return bot;
    }

    /// <summary>A person clicks a button (a new click each time: its own action_ts and trigger id).</summary>
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

    /// <summary>The button <paramref name="actionId"/> of the first message posted with it.</summary>
    public async Task<(string ActionId, string Value)> ButtonAsync(string actionId, TimeSpan? timeout = null)
    {
        var post = (await Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains(actionId, StringComparison.Ordinal),
            timeout: timeout ?? TimeSpan.FromSeconds(60)))[0];
        return (actionId, ButtonValue(post.Body, actionId));
    }

    /// <summary>The button <paramref name="actionId"/> as the card shows it now: from the newest post or edit that carries it.</summary>
    public (string ActionId, string Value) LatestButton(string actionId)
    {
        var newest = Slack.Requests.Last(r => r.Path is "/api/chat.postMessage" or "/api/chat.update" && r.Body.Contains(actionId, StringComparison.Ordinal));
        return (actionId, ButtonValue(newest.Body, actionId));
    }

    private static string ButtonValue(string body, string actionId) =>
        SlackClicks.ButtonValue(body, actionId) ?? throw new InvalidOperationException($"The message has no {actionId} button.");

    /// <summary>No message waits in the outbox: everything queued was delivered.</summary>
    public async Task<bool> OutboxIsEmptyAsync() => await (await Store.OpenAsync()).CountPendingOutboxAsync(CancellationToken.None) == 0;

    /// <summary>Polls <paramref name="condition"/> until it holds; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }

    public async Task<List<AuditRecord>> AuditChainAsync()
    {
        var store = await Store.OpenAsync();
        var chain = new List<AuditRecord>();
        await foreach (var record in store.ReadAuditChainAsync(CancellationToken.None)) chain.Add(record);
        return chain;
    }

    public async Task<AuditVerification> VerifyAuditAsync()
    {
        var store = await Store.OpenAsync();
        return await AuditChain.VerifyAsync(store.ReadAuditChainAsync(CancellationToken.None), CancellationToken.None);
    }

    /// <summary>The audited transitions of one kind of workflow, in order.</summary>
    public async Task<List<string>> TransitionsAsync(string aggregateType) =>
        (await AuditChainAsync()).Where(r => r.AggregateType == aggregateType).Select(r => r.Action).ToList();

    /// <summary>Each of <paramref name="actions"/> was audited exactly once.</summary>
    public static void AssertOnce(IReadOnlyList<string> transitions, params string[] actions)
    {
        foreach (var once in actions)
            Assert.True(transitions.Count(a => a == once) == 1, $"{once} {transitions.Count(a => a == once)} times: {string.Join(", ", transitions)}");
    }

    /// <summary>The delivery ids the bot tagged the posts Slack took with (whatever Slack answered): one post per outbox message means no id twice.</summary>
    public IReadOnlyList<string> DeliveryIds() => Slack.Taken.Select(p => p.DeliveryId).OfType<string>().ToList();

    /// <summary>Every message the bot posted went out once: no delivery id twice among the posts Slack took.</summary>
    public void AssertEachMessagePostedOnce()
    {
        var deliveries = DeliveryIds();
        var twice = deliveries.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"Posted more than once: {string.Join(", ", twice)}\n{Logs}");
    }

    /// <summary>The secrets every instance holds; none may appear in a log line or a Slack message.</summary>
    protected virtual IEnumerable<string> Secrets() => [SlackTestSettings.SigningSecret, SlackTestSettings.BotToken, Sandbox.Account.Options.SecretAccessKey];

    /// <summary>No secret in any log line or Slack message of the run.</summary>
    public void AssertNoSecretsLeaked()
    {
        foreach (var secret in Secrets())
        {
            Assert.DoesNotContain(secret, Logs, StringComparison.Ordinal);
            Assert.DoesNotContain(Slack.Requests, r => r.Body.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>Everything every instance printed, for failure messages and the secrets check.</summary>
    public string Logs => string.Join("\n==== next instance ====\n", _bots.Select(b => b.Output));

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var bot in _bots) await bot.DisposeAsync();
        await Slack.DisposeAsync();
        await Aws.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
