using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;

namespace Bot.Tests.Deploy;

[CollectionDefinition(Name)]
public sealed class RunningBotCollection : ICollectionFixture<RunningBot>
{
    public const string Name = "The built bot, running";
}

/// <summary>
/// The built bot as the stack runs it (the server process, JSON log lines on stdout, Socket Mode, as
/// <c>Transport=socket-mode</c> deploys it), once for the tests that read what it writes and answers:
/// <list type="number">
/// <item>Its store starts with two messages for the ops channel, waiting for an hour. Slack refuses the first for good
/// (<c>channel_not_found</c>: a dead letter), fails the second once (500) and then rate-limits its channel for an hour,
/// so one message stays in the backlog.</item>
/// <item>Slack hands out no Socket Mode connection at first: the instance is Unhealthy; the container's health check
/// (<c>dotnet Bot.dll probe …/healthz</c>) is run then. Then Slack lets it connect, and it is Healthy again.</item>
/// </list>
/// Every line it wrote is kept (<see cref="Lines"/>), to run the stack's log metric filters on.
/// </summary>
public sealed class RunningBot : IAsyncLifetime
{
    public const string Channel = "C0OPS";
    public static readonly TimeSpan Waited = TimeSpan.FromHours(1);

    private readonly string _store = TestStorage.NewSqlitePath();

    /// <summary>Every line of stdout (one JSON object each).</summary>
    public IReadOnlyList<string> Lines { get; private set; } = [];
    public BotProcessResult Probe { get; private set; } = null!;
    public BotProcessResult ProbeConnected { get; private set; } = null!;
    public int ExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        await SeedAsync();
        await using var slack = await SlackApiFake.StartAsync();
        slack.Script("chat.postMessage", ScriptedResponse.SlackError("channel_not_found"), ScriptedResponse.ServerError(), ScriptedResponse.RateLimited(3600));
        var held = slack.HoldNewConnections();
        await using var bot = await BotServer.StartAsync([], new Dictionary<string, string>
        {
            ["Slack__AppToken"] = "xapp-1-A0LOGS-running-bot",
            ["Slack__BotToken"] = SlackTestSettings.BotToken,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack__OpsChannelId"] = Channel,
            ["Slack__Retry__MaxRetries"] = "0",
            ["Slack__SocketMode__UnhealthyAfter"] = "00:00:00.001",
            ["Store__SqlitePath"] = _store,
            ["Operations__ReadinessLogInterval"] = "00:00:01",
            ["Operations__OutboxLogInterval"] = "00:00:01",
            ["Reports__DailyHealth__Enabled"] = "false",
            ["Workers__IdlePoll"] = "00:00:01",
        });
        try
        {
            await bot.WaitForOutputAsync("Readiness Unhealthy: slack-connections", TimeSpan.FromSeconds(60));
            Probe = await ProbeAsync(bot);
            held.Dispose();
            await bot.WaitForOutputAsync("Readiness Healthy: ", TimeSpan.FromSeconds(60));
            ProbeConnected = await ProbeAsync(bot);
            await bot.WaitForOutputAsync("Chat rate-limited channel C0OPS", TimeSpan.FromSeconds(60));
            await WaitForAsync(bot, line => line.Contains("Outbox backlog 1, oldest ", StringComparison.Ordinal) && line.Contains("dead letters 1", StringComparison.Ordinal));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{string.Join('\n', bot.StandardOutput.TakeLast(40))}\n{string.Join('\n', bot.StandardError)}", e);
        }
        finally
        {
            ExitCode = await bot.StopAsync();
            Lines = bot.StandardOutput.Where(l => l.Length > 0).ToList();
        }
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_store);
        return Task.CompletedTask;
    }

    /// <summary>The lines whose message starts with <paramref name="start"/>.</summary>
    public IReadOnlyList<string> LinesStarting(string start) =>
        Lines.Where(l => JsonDocument.Parse(l).RootElement.GetProperty("Message").GetString()!.StartsWith(start, StringComparison.Ordinal)).ToList();

    private static async Task WaitForAsync(BotServer bot, Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!bot.StandardOutput.Any(wanted))
        {
            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No outbox line counted the backlog and the dead letter.");
            }
        }
    }

    /// <summary>Two messages for the ops channel, committed an hour ago (as a workflow step would have).</summary>
    private async Task SeedAsync()
    {
        var then = DateTimeOffset.UtcNow - Waited;
        var store = new SqliteWorkflowStore(_store, TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        OutboxMessage Message(string id) => new() { Id = id, Sequence = 0, Key = "seed:" + id, Channel = Channel, Text = $"seeded {id}", CreatedAt = then };
        await store.CommitAsync(new UnitOfWork
        {
            Audit = new AuditDraft { At = then, ActorId = "U0SEED", ActorName = "seed", Action = "seed" },
            Messages = [Message("msg-seed-1"), Message("msg-seed-2")],
        }, CancellationToken.None);
    }

    /// <summary>
    /// The container's health check, retried as ECS and Docker retry it (3 times) when the probe got no answer in its
    /// timeout: on a loaded test machine the bot can take longer than the probe's 3 seconds; a real answer is final.
    /// </summary>
    private static async Task<BotProcessResult> ProbeAsync(BotServer bot)
    {
        BotProcessResult result = null!;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            result = await BotProcess.RunAsync(["probe", new Uri(bot.BaseAddress, "healthz").ToString()]);
            if (!result.StandardOutput.Contains("no answer", StringComparison.Ordinal)) break;
        }
        return result;
    }
}
