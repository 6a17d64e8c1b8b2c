using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Tests.Slack;

public class SlackWorkQueueWorkerTests
{
    [Fact]
    public async Task Stopping_finishes_the_queued_work_and_refuses_new_work()
    {
        var queue = new SlackWorkQueue();
        using var services = new ServiceCollection().BuildServiceProvider();
        using var worker = new SlackWorkQueueWorker(queue, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<SlackWorkQueueWorker>.Instance);
        var release = new TaskCompletionSource();
        var done = 0;
        for (var i = 0; i < 10; i++)
        {
            Assert.True(queue.TryEnqueue(new SlackWork($"item {i}", async (_, _) =>
            {
                await release.Task;
                Interlocked.Increment(ref done);
            })));
        }

        await worker.StartAsync(CancellationToken.None);
        var stopping = worker.StopAsync(CancellationToken.None);
        var refused = !queue.TryEnqueue(new SlackWork("late", (_, _) => Task.CompletedTask));
        release.SetResult();
        await stopping;

        Assert.True(refused);
        Assert.Equal(10, done);
        Assert.False(worker.IsRunning);
    }

    [Fact]
    public async Task A_failing_item_does_not_stop_the_items_after_it()
    {
        var queue = new SlackWorkQueue();
        using var services = new ServiceCollection().BuildServiceProvider();
        using var worker = new SlackWorkQueueWorker(queue, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<SlackWorkQueueWorker>.Instance);
        var ran = new TaskCompletionSource();
        queue.TryEnqueue(new SlackWork("boom", (_, _) => throw new InvalidOperationException("boom")));
        queue.TryEnqueue(new SlackWork("after", (_, _) =>
        {
            ran.TrySetResult();
            return Task.CompletedTask;
        }));

        await worker.StartAsync(CancellationToken.None);
        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await worker.StopAsync(CancellationToken.None);

        Assert.True(ran.Task.IsCompletedSuccessfully);
    }
}
