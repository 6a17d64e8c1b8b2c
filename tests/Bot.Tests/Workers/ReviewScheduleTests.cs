using Bot.Integrations.Slack;
using Bot.Tests.Shell;
using Bot.Workers;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests.Workers;

/// <summary>The weekly and monthly reviews on their schedules: Mondays 09:30 and the first Monday, posted once across instances.</summary>
public sealed class ReviewScheduleTests
{
    [Theory]
    [InlineData("30 9 * * MON", "UTC", "prod", true)]
    [InlineData("0 10 * * MON#1", "Europe/London", "prod", true)]
    [InlineData("every monday", "UTC", "prod", false)]
    [InlineData("30 9 * * MON", "Mars/Olympus_Mons", "prod", false)]
    [InlineData("30 9 * * MON", "UTC", "", false)]
    public void A_bad_schedule_is_refused(string cron, string zone, string environment, bool valid) =>
        Assert.Equal(valid, new WeeklyReviewScheduleOptions { Cron = cron, TimeZone = zone, Environment = environment }.IsValid());

    [Fact]
    public void By_default_the_weekly_review_is_monday_0930_and_the_monthly_one_the_first_monday()
    {
        var from = new DateTimeOffset(2026, 3, 3, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 30, 0, TimeSpan.Zero), new WeeklyReviewScheduleOptions().ParsedCron().GetNextOccurrence(from, TimeZoneInfo.Utc));
        Assert.Equal(new DateTimeOffset(2026, 4, 6, 10, 0, 0, TimeSpan.Zero), new MonthlyReviewScheduleOptions().ParsedCron().GetNextOccurrence(from, TimeZoneInfo.Utc));
    }

    [Fact]
    public async Task Two_instances_sharing_a_store_post_the_weekly_review_once()
    {
        var path = Bot.Testing.TestStorage.NewSqlitePath();
        using var shell = new ShellHarness(settings: new() { ["Shell:SqlitePath"] = path });
        await shell.Host.StartAsync();
        try
        {
            var services = shell.Host.Services;
            var otherStore = new SqliteWorkflowStore(path, TimeProvider.System);
            await otherStore.InitializeAsync(CancellationToken.None);
            using var logs = new Bot.Testing.RecordingLoggerProvider();
            var logger = logs.CreateLogger("schedule");
            var first = ActivatorUtilities.CreateInstance<WeeklyReviewSchedule>(services, new Logger(logger));
            var second = ActivatorUtilities.CreateInstance<WeeklyReviewSchedule>(services, (Bot.Workflows.Idempotency.IIdempotencyStore)otherStore, new Logger(logger));
            var chat = services.GetRequiredService<IChannelPoster>();
            var monday = new DateTimeOffset(2026, 11, 30, 9, 30, 0, TimeSpan.Zero);

            var posted = await Task.WhenAll(first.RunOnceAsync(chat, "C-SHELL", monday, CancellationToken.None), second.RunOnceAsync(chat, "C-SHELL", monday, CancellationToken.None));

            Assert.True(posted.Count(p => p) == 1, logs.Text);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(shell.Output, @"Scheduled: :clipboard: \*Weekly operations review"));
            Assert.Contains("Weekly operations review, prod, week to 2026-11-29", shell.Output);
            Assert.Contains("weekly_report_20261130.md", shell.Output);
            Assert.False(await first.RunOnceAsync(chat, "C-SHELL", monday, CancellationToken.None));
        }
        finally
        {
            await shell.Host.StopAsync();
            Bot.Testing.TestStorage.Delete(path);
        }
    }

    private sealed class Logger(Microsoft.Extensions.Logging.ILogger inner) : Microsoft.Extensions.Logging.ILogger<WeeklyReviewSchedule>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => inner.IsEnabled(logLevel);
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
