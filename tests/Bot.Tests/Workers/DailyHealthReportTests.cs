using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workers;
using Bot.Integrations.Slack.BlockKit;
using System.Collections.Concurrent;
using Bot.Commands.Cloud.Health;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Workers;

public sealed class DailyHealthReportTests : IDisposable
{
    public void Dispose() => _chat.Dispose();

    // Friday 2026-11-20 10:00 UTC, after that day's report.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingChat _chat = new();
    private readonly CountingReporter _reporter = new();

    [Fact]
    public async Task The_report_is_posted_to_the_ops_channel_at_nine_on_the_next_weekday_and_not_before()
    {
        // Sunday 20:00 UTC; the next weekday 09:00 in London is Monday 09:00 UTC (GMT in November).
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero));
        using var worker = Worker("C0OPS", new DailyHealthReportOptions { TimeZone = "Europe/London" });
        await worker.StartAsync(default);
        await ScheduledAsync(worker, new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

        _time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(59));
        Assert.Empty(_chat.Posts);

        _time.Advance(TimeSpan.FromMinutes(1));
        var post = await _chat.WaitForPostAsync();

        Assert.Equal("C0OPS", post.Channel);
        Assert.StartsWith("Daily health report: ⚠️ SecureBase prod health: 1 warning", post.Text);
        Assert.Contains("\"type\":\"section\"", post.Blocks);
        Assert.Null(post.ThreadTs);
        Assert.Equal(["prod"], _reporter.Environments);
        await worker.StopAsync(default);
    }

    [Fact]
    public async Task Weekends_are_skipped()
    {
        using var worker = Worker("C0OPS", new DailyHealthReportOptions());
        await worker.StartAsync(default); // Friday after nine
        await ScheduledAsync(worker, new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

        _time.Advance(TimeSpan.FromDays(2)); // to Sunday 10:00
        Assert.Empty(_chat.Posts);
        _time.Advance(TimeSpan.FromHours(23)); // Monday 09:00
        await _chat.WaitForPostAsync();
        await worker.StopAsync(default);
    }

    [Fact]
    public async Task Without_an_ops_channel_it_is_skipped()
    {
        using var worker = Worker(null, new DailyHealthReportOptions());
        await worker.StartAsync(default);
        await worker.ExecuteTask!;

        _time.Advance(TimeSpan.FromDays(3));
        Assert.Empty(_chat.Posts);
        Assert.Empty(_reporter.Environments);
    }

    [Fact]
    public async Task A_section_that_is_not_clean_goes_in_the_reports_thread_and_one_that_fails_leaves_the_rest()
    {
        using var worker = Worker("C0OPS", new DailyHealthReportOptions(),
            new Section("broken", null), new Section("security checks", ChatMessage.InChannel("Security checks, prod, last 1d: 238 UNAUTHORIZED line(s)")), new Section("clean", []));

        await worker.PostOnceAsync(_chat, "C0OPS", "prod", default);

        var posts = _chat.Posts.ToList();
        Assert.Equal(2, posts.Count);
        Assert.StartsWith("Daily health report:", posts[0].Text);
        Assert.Equal("Security checks, prod, last 1d: 238 UNAUTHORIZED line(s)", posts[^1].Text);
        Assert.Equal("1700000000.000100", posts[^1].ThreadTs);
    }

    private sealed class Section(string name, params ChatMessage[]? messages) : IDailyReportSection
    {
        public string Name => name;

        public Task<IReadOnlyList<ChatMessage>> WhenNotCleanAsync(string environment, CancellationToken cancellationToken) =>
            messages is null ? throw new InvalidOperationException("this section is broken") : Task.FromResult<IReadOnlyList<ChatMessage>>(messages);
    }

    [Theory]
    [InlineData("not a cron", "UTC")]
    [InlineData("0 9 * * 1-5", "Mars/Olympus_Mons")]
    public void Bad_schedules_are_refused(string cron, string zone) =>
        Assert.False(new DailyHealthReportOptions { Cron = cron, TimeZone = zone }.IsValid(out _));

    private DailyHealthReport Worker(string? channel, DailyHealthReportOptions options, params IDailyReportSection[] sections)
    {
        var collection = new ServiceCollection().AddSingleton<IChannelPoster>(_chat);
        foreach (var section in sections) collection.AddSingleton(section);
        var services = collection.BuildServiceProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:OpsChannelId"] = channel }).Build();
        return new DailyHealthReport(_reporter, services, Options.Create(options), configuration, _time, NullLogger<DailyHealthReport>.Instance);
    }

    // The worker runs in the background; wait (on the real clock, bounded) until its timer on the fake clock is set.
    private static async Task ScheduledAsync(DailyHealthReport worker, DateTimeOffset expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (worker.NextRun is null && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(expected, worker.NextRun);
    }

    private sealed class CountingReporter : IHealthReporter
    {
        public ConcurrentQueue<string> Environments { get; } = new();

        public Task<HealthReport> RunAsync(string? environment, CancellationToken cancellationToken)
        {
            Environments.Enqueue(environment ?? "");
            return Task.FromResult(new HealthReport(environment ?? "", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1),
                [ProbeResult.Ok("Tables", "all 4 ACTIVE"), ProbeResult.Warning("Alarms", "1 alarm in ALARM")]));
        }
    }

    private sealed class RecordingChat : IChannelPoster, IDisposable
    {
        public void Dispose() => _posted.Dispose();

        private readonly ConcurrentQueue<(string Channel, string Text, string? Blocks, string? ThreadTs)> _posts = new();
        private readonly SemaphoreSlim _posted = new(0);

        public IReadOnlyCollection<(string Channel, string Text, string? Blocks, string? ThreadTs)> Posts => _posts;

        public Task<PostedMessage> PostAsync(string channel, ChatMessage message, string? threadTs, CancellationToken cancellationToken)
        {
            var slack = MessageRenderer.Render(message);
            _posts.Enqueue((channel, slack.Text, slack.Blocks.Count == 0 ? null : BlockKitJson.Serialize(slack.Blocks), threadTs));
            _posted.Release();
            return Task.FromResult(new PostedMessage(channel, "1700000000.000100"));
        }

        public async Task<(string Channel, string Text, string? Blocks, string? ThreadTs)> WaitForPostAsync()
        {
            Assert.True(await _posted.WaitAsync(TimeSpan.FromSeconds(10)), "no post arrived");
            return _posts.Last();
        }
    }
}
