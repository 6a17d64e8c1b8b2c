using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Workflows.Activities;

/// <summary>
/// Runs the activities that transitions saved, after the save, and reports each result back to its aggregate.
/// <list type="bullet">
/// <item>One runner per lane (<paramref name="queue"/>: the changes' <see cref="WorkQueues.Activities"/>, the incidents'
/// <see cref="WorkQueues.IncidentActivities"/>), so a change's deploy or rollback never waits behind a storm's escalations.</item>
/// <item>Claims activities a few at a time (<see cref="BatchSize"/>), each under a lease of its own that a heartbeat renews while it
/// runs and while it waits for its turn, so two instances never run the same one at once however long a call takes; a process
/// that died mid-activity loses it to another instance when the lease ends.</item>
/// <item>Before every attempt the handler looks at the live world: already done → success without acting again
/// (the crash fell between the call and the save); changed by someone else → failure, nothing done.</item>
/// <item>Transient failures (throttling, 5xx, timeouts) are retried with backoff up to <see cref="MaxAttempts"/>;
/// permanent ones go back to the aggregate at once with the provider's code and a sentence a person understands.</item>
/// <item>The result trigger and the activity's completion are one atomic write (and one idempotency key), so a
/// result is recorded once however often it is reported.</item>
/// <item>Between rounds it sleeps until the next activity is due or a commit in this process starts one
/// (<see cref="WorkSignals"/>), and looks at the store on its own only every <see cref="PumpOptions.IdlePoll"/>.</item>
/// </list>
/// </summary>
public sealed class ActivityRunner(IWorkQueueStore store, WorkflowEngine engine, ActivityCatalog catalog, TimeProvider time, ILogger<ActivityRunner> logger,
    WorkSignals? signals = null, IOptions<PumpOptions>? options = null, string? queue = null)
    : WorkQueuePump(store, queue ?? WorkQueues.Activities, Settings(options?.Value, queue ?? WorkQueues.Activities),
        (signals ?? new WorkSignals()).Queue(queue ?? WorkQueues.Activities), options?.Value, time, logger)
{
    /// <summary>Longer than any one attempt can take (the AWS and PagerDuty clients time out well before).</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(2);
    /// <summary>While another report of the same result is in flight, look again after this long.</summary>
    public static readonly TimeSpan ReportPending = TimeSpan.FromSeconds(30);
    public const int MaxAttempts = 8;
    /// <summary>
    /// How many activities one claim takes: few, so what one instance holds while it works through them is little (each is
    /// held by its own heartbeat) and another instance with time on its hands claims the rest.
    /// </summary>
    public const int BatchSize = 4;

    /// <summary>The lane this runner works (<see cref="WorkQueues.Activities"/> or <see cref="WorkQueues.IncidentActivities"/>).</summary>
    public string Queue { get; } = queue ?? WorkQueues.Activities;

    /// <summary>Activities run one after another; the lease is <see cref="PumpOptions.ActivityLease"/>, default <see cref="DefaultLease"/>.</summary>
    private static LeasePumpSettings Settings(PumpOptions? options, string queue) => new($"Activity runner ({queue})", options?.ActivityLease ?? DefaultLease, BatchSize);

    /// <summary>Runs one activity and reports its result; true when it is settled (reported, given up or unreadable).</summary>
    protected override async Task<bool> RunOneAsync(WorkItem item, ItemLease lease)
    {
        var cancellationToken = lease.Lost;
        ActivityEnvelope envelope;
        try
        {
            envelope = ActivityEnvelope.FromJson(item.PayloadJson);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            Logger.LogError(e, "Activity {Id} cannot be read; dropping it", item.Id);
            await Store.CompleteWorkAsync(new WorkCompletion(item.Id, "unreadable", Time.GetUtcNow() + UnitOfWorkBuilder.ForgetWorkAfter) { Lease = item.Lease }, cancellationToken);
            return true;
        }

        ActivityOutcome outcome;
        try
        {
            outcome = await ExecuteAsync(item, envelope, lease);
        }
        catch (PortException e) when (e.Transient && item.Attempts < MaxAttempts)
        {
            await DeferAsync(item, e.Code, e.Message, cancellationToken);
            return false;
        }
        catch (PortException e)
        {
            var message = e.Transient ? $"Gave up after {item.Attempts} attempts: {e.Message}" : e.Message;
            outcome = ActivityOutcome.Failure(item.Id, envelope.Kind, e.Code, message);
        }
        catch (Exception e) when (e is not OperationCanceledException and not LeaseLostException)
        {
            // Unknown failure (a bug, a network error the adapter did not translate): treat as transient.
            Logger.LogWarning(e, "Activity {Id} ({Kind}) failed unexpectedly (attempt {Attempt})", item.Id, envelope.Kind, item.Attempts);
            if (item.Attempts < MaxAttempts)
            {
                await DeferAsync(item, "Error", e.GetType().Name, cancellationToken);
                return false;
            }
            outcome = ActivityOutcome.Failure(item.Id, envelope.Kind, "Error", $"Gave up after {item.Attempts} attempts: an unexpected error ({e.GetType().Name}).");
        }

        return await ReportAsync(item, envelope, outcome, cancellationToken);
    }

    private async Task<ActivityOutcome> ExecuteAsync(WorkItem item, ActivityEnvelope envelope, ItemLease lease)
    {
        var cancellationToken = lease.Lost;
        if (!catalog.TryGet(envelope.Kind, out var handler))
            return ActivityOutcome.Failure(item.Id, envelope.Kind, "UnknownActivity", $"This bot does not know how to {envelope.Description}.");

        var activity = handler.Read(envelope.DataJson);
        switch (await handler.CheckAsync(activity, cancellationToken))
        {
            case LiveCheck.AlreadyDone done:
                Logger.LogInformation("Activity {Id} was already done ({Message}); not running it again", item.Id, done.Message);
                return ActivityOutcome.Success(item.Id, envelope.Kind, done.Message, done.DetailJson) with { FoundDone = true };
            case LiveCheck.Diverged differs:
                Logger.LogWarning("Activity {Id} not run: {Code} {Message}", item.Id, differs.Code, differs.Message);
                return ActivityOutcome.Failure(item.Id, envelope.Kind, differs.Code, differs.Message);
        }

        // The fence before the side effect: a runner whose lease passed to another instance (it was paused, or cut off from the
        // store, for longer than the lease) must not act again: the new holder checks the live world and acts once.
        await lease.EnsureHeldAsync(cancellationToken);
        Logger.LogInformation("Running activity {Id}: {Description} (attempt {Attempt})", item.Id, envelope.Description, item.Attempts);
        var result = await handler.RunAsync(activity, cancellationToken);
        return ActivityOutcome.Success(item.Id, envelope.Kind, result.Message, result.DetailJson) with { FoundDone = result.FoundDone };
    }

    private async Task DeferAsync(WorkItem item, string code, string message, CancellationToken cancellationToken)
    {
        var backoff = Backoff(item.Attempts);
        Logger.LogWarning("Activity {Id} failed ({Code}: {Message}, attempt {Attempt}); retrying in {Backoff}", item.Id, code, message, item.Attempts, backoff);
        await Store.DeferWorkAsync(item, Time.GetUtcNow() + backoff, $"{code}: {message}", cancellationToken);
    }

    /// <summary>Fires the result trigger; true when the activity is settled (its result recorded or no longer wanted).</summary>
    private async Task<bool> ReportAsync(WorkItem item, ActivityEnvelope envelope, ActivityOutcome outcome, CancellationToken cancellationToken)
    {
        var fired = await engine.FireAsync(new WorkflowTrigger(envelope.AggregateType, envelope.AggregateId,
            outcome.Succeeded ? envelope.OnSucceeded : envelope.OnFailed, WorkflowActor.Bot)
        {
            Source = TriggerSource.Activity,
            Activity = outcome,
            IdempotencyKey = $"activity:{item.Id}",
            RequestId = $"activity:{item.Id}",
            CompletesWork = item.Id,
            CompletesWorkLease = item.Lease,
        }, cancellationToken);

        switch (fired.Kind)
        {
            case FireOutcomeKind.Transitioned:
                return true;
            case FireOutcomeKind.Busy:
            case FireOutcomeKind.Duplicate when fired.InDoubt:
                // Not recorded yet (lost the race, or another report is in flight or died before its commit): look again later,
                // without counting an attempt (nothing failed). The next attempt checks the live world first, so nothing is done twice.
                Logger.LogInformation("Result of activity {Id} not recorded yet ({Outcome}); reporting it again in {Wait}", item.Id, fired.Describe(), ReportPending);
                await Store.DeferWorkAsync(item, Time.GetUtcNow() + ReportPending, "result not recorded yet", cancellationToken, countsAsAttempt: false);
                return false;
            default:
                // Refused, not found, or recorded before: the aggregate no longer wants it.
                Logger.LogInformation("Result of activity {Id} not taken by {Type}/{Id2}: {Outcome}", item.Id, envelope.AggregateType, envelope.AggregateId, fired.Describe());
                await Store.CompleteWorkAsync(new WorkCompletion(item.Id, fired.Kind.ToString(), Time.GetUtcNow() + UnitOfWorkBuilder.ForgetWorkAfter) { Lease = item.Lease },
                    cancellationToken);
                return true;
        }
    }

    /// <summary>2 s, 4 s, 8 s … up to <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(attempt, 1, 16))));
}
