using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Operations;

/// <summary>
/// Every <see cref="OperationsOptions.OutboxLogInterval"/> (a minute), each instance's view of the outbox from the store,
/// as one line: <c>Outbox backlog {OutboxBacklog}, oldest {OutboxOldestAgeSeconds} s, dead letters {DeadLetters}</c>
/// (whole numbers; the oldest waiting message's age is 0 when none waits; the dead letters are every kind given up, not
/// only messages). The stack's <c>dead-letters</c> and
/// <c>outbox-backlog-age</c> alarms read it through log metric filters, so they need no metrics collector.
/// </summary>
public sealed class OutboxReport(IOperationsStore store, IDeadLetterStore deadLetters, IOptions<OperationsOptions> options, TimeProvider time,
    ILogger<OutboxReport> logger) : BackgroundService
{
    public const string Template = "Outbox backlog {OutboxBacklog}, oldest {OutboxOldestAgeSeconds} s, dead letters {DeadLetters}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Outbox report failed: the store did not answer ({Error})", e.Message);
            }
            try
            {
                await Task.Delay(options.Value.OutboxLogInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads the store and writes the line.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var backlog = await store.CountPendingOutboxAsync(cancellationToken);
        var oldest = await store.OldestPendingOutboxAsync(cancellationToken);
        // Every kind given up (messages, timers, activities, webhook events): the dead-letters alarm is about anything stuck.
        var dead = (await deadLetters.CountAllDeadLettersAsync(cancellationToken)).Total;
        var age = oldest is { } created ? Math.Max(0L, (long)(time.GetUtcNow() - created).TotalSeconds) : 0L;
#pragma warning disable CA2254 // one template, named for the tests and the metric filters that read it
        logger.LogInformation(Template, backlog, age, dead);
#pragma warning restore CA2254
    }
}
