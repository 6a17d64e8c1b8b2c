using Bot.Tests.Hosting;
using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Workflows;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using System.Text.Json;
using Bot.Testing.Slack;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Slack;

/// <summary>
/// The outbox delivered by the real Slack client (Refit + resilience + <see cref="SlackChat"/>) to a Slack
/// stand-in on loopback that answers 429 with Retry-After, then 500 twice.
/// </summary>
public sealed class OutboxToSlackTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-outbox-slack-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Slack_answering_429_then_500_twice_still_gets_every_message_once_and_in_order_per_channel()
    {
        await using var slack = await SlackApiFake.StartAsync();
        // The client never repeats a chat.postMessage that got a 5xx (it may have landed) and hands this 429 straight
        // back, so every retry here is the outbox's own, durable Retry-After and backoff.
        await using var services = SlackServices(slack, new()
        {
            ["Slack:Retry:MaxRetries"] = "1",
            ["Slack:Retry:BaseDelay"] = "00:00:00.010",
            ["Slack:Retry:MaxRetryAfter"] = "00:00:00",
        });
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        await store.InitializeAsync(CancellationToken.None);
        var engine = new WorkflowEngine(store, store, store, WorkflowHost.Registry, new TestDirectory(), _time, NullLogger<WorkflowEngine>.Instance);
        var sender = new OutboxSender(store, services.GetRequiredService<SlackChat>(), _time, NullLogger<OutboxSender>.Instance);

        var ana = new WorkflowActor("U1", "ana");
        for (var i = 0; i < 4; i++) await engine.CreateAsync(SampleApproval.New($"c{i}", "C0OPS", $"change c{i}", ana), ana, null, null, CancellationToken.None);
        for (var i = 0; i < 3; i++) await engine.CreateAsync(SampleApproval.New($"d{i}", "C0DEV", $"change d{i}", ana), ana, null, null, CancellationToken.None);
        slack.Script("chat.postMessage", ScriptedResponse.RateLimited(7), ScriptedResponse.ServerError(), ScriptedResponse.ServerError());

        for (var round = 0; round < 200 && await store.CountPendingOutboxAsync(CancellationToken.None) > 0; round++)
        {
            await sender.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var posts = slack.Calls("chat.postMessage");
        Assert.Equal([429, 500, 500], posts.Where(p => p.Status != 200).Select(p => p.Status).Order());
        var delivered = posts.Where(p => p.Status == 200).Select(Parse).ToList();
        Assert.Equal(["change c0", "change c1", "change c2", "change c3"], Titles(delivered, "C0OPS"));
        Assert.Equal(["change d0", "change d1", "change d2"], Titles(delivered, "C0DEV"));
        Assert.All(posts, p => Assert.Equal("Bearer xoxb-outbox-test", p.Authorization));
        Assert.Equal(0, await store.CountPendingOutboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_post_slack_took_whose_answer_never_came_back_is_found_by_its_tag_and_not_posted_again()
    {
        await using var slack = await SlackApiFake.StartAsync();
        await using var services = SlackServices(slack, new() { ["Slack:Retry:MaxRetries"] = "3", ["Slack:Retry:BaseDelay"] = "00:00:00.010" });
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        await store.InitializeAsync(CancellationToken.None);
        var engine = new WorkflowEngine(store, store, store, WorkflowHost.Registry, new TestDirectory(), _time, NullLogger<WorkflowEngine>.Instance);
        var sender = new OutboxSender(store, services.GetRequiredService<SlackChat>(), _time, NullLogger<OutboxSender>.Instance);
        var ana = new WorkflowActor("U1", "ana");
        await engine.CreateAsync(SampleApproval.New("c1", "C0OPS", "change c1", ana), ana, null, null, CancellationToken.None);
        // Slack takes the first post, and its answer is lost on the way back (as when the bot dies right then).
        var first = true;
        slack.BeforeAnswer = request => Task.FromResult(!(request.Path == "/api/chat.postMessage" && Interlocked.Exchange(ref first, false)));

        for (var round = 0; round < 20 && await store.CountPendingOutboxAsync(CancellationToken.None) > 0; round++)
        {
            await sender.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        var post = Assert.Single(slack.Calls("chat.postMessage"));
        Assert.Contains("\"securebase_delivery\"", post.Body);
        Assert.Single(slack.Calls("conversations.history"));
        Assert.Equal(0, await store.CountDeadLettersAsync(CancellationToken.None));
        var sent = await store.FindSentAsync(SampleApproval.Type + "/c1/card", CancellationToken.None);
        Assert.Equal("1700000000.000001", sent?.Ts);
    }

    [Fact]
    public async Task A_direct_message_slack_took_whose_answer_never_came_back_is_found_in_the_dm_and_not_posted_again()
    {
        await using var slack = await SlackApiFake.StartAsync();
        await using var services = SlackServices(slack, new() { ["Slack:Retry:MaxRetries"] = "3", ["Slack:Retry:BaseDelay"] = "00:00:00.010" });
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        await store.InitializeAsync(CancellationToken.None);
        var sender = new OutboxSender(store, services.GetRequiredService<SlackChat>(), _time, NullLogger<OutboxSender>.Instance);
        // A direct message to the requester (a user id, as workflows address them).
        await store.CommitAsync(new UnitOfWork
        {
            Audit = new Bot.Workflows.Audit.AuditDraft { At = _time.GetUtcNow(), ActorId = "bot", ActorName = "bot", Action = "notify" },
            Messages = [new OutboxMessage { Id = "dm-1", Sequence = 0, Key = "dm-1", Channel = "U1ANA", Text = "Your change completed", CreatedAt = _time.GetUtcNow() }],
        }, CancellationToken.None);
        var first = true;
        slack.BeforeAnswer = request => Task.FromResult(!(request.Path == "/api/chat.postMessage" && Interlocked.Exchange(ref first, false)));

        for (var round = 0; round < 20 && await store.CountPendingOutboxAsync(CancellationToken.None) > 0; round++)
        {
            await sender.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Single(slack.Calls("chat.postMessage"));
        Assert.Contains("\"users\":\"U1ANA\"", Assert.Single(slack.Calls("conversations.open")).Body);
        Assert.Single(slack.Calls("conversations.history"));
        Assert.Equal("1700000000.000001", (await store.FindSentAsync("dm-1", CancellationToken.None))?.Ts);
    }

    private static ServiceProvider SlackServices(SlackApiFake slack, Dictionary<string, string?> settings)
    {
        settings["Slack:BotToken"] = "xoxb-outbox-test";
        settings["Slack:ApiBaseUrl"] = slack.ApiBaseUrl;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSlackWebApi();
        return services.BuildServiceProvider();
    }

    private static (string Channel, string Text) Parse(RecordedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return (json.RootElement.GetProperty("channel").GetString()!, json.RootElement.GetProperty("text").GetString()!);
    }

    private static List<string> Titles(IEnumerable<(string Channel, string Text)> posts, string channel) =>
        posts.Where(p => p.Channel == channel).Select(p => p.Text.Split("approval: ")[1]).ToList();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
