using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Incidents;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Workflows.Changes;
using Bot.Workflows.Handoffs;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Handoffs;

/// <summary>
/// What an incoming on-call engineer takes over, read now: the open incidents and their state, the changes being verified
/// (in their watch window), the break-glass changes nobody has reviewed, and production's alarms in ALARM. A part that cannot
/// be read says so (the handoff goes out all the same) instead of showing "none".
/// </summary>
public sealed class HandoffSnapshotReader(IAggregateStore store, ICloudWatchClient cloudWatch, IOptions<SecureBaseOptions> secureBase, TimeProvider time,
    ILogger<HandoffSnapshotReader> logger)
{
    /// <summary>How far back unreviewed break-glass changes are looked for (their reminders keep them recent).</summary>
    public static readonly TimeSpan BreakGlassLookBack = TimeSpan.FromDays(7);

    public const int MaxChangesRead = 500;

    public async Task<HandoffSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sections = await Task.WhenAll(
            SectionAsync("Open incidents", async () => (await IncidentReads.OpenAsync(store, cancellationToken)).Select(i => IncidentsCommand.Summary(i, now)), cancellationToken),
            SectionAsync("Changes being verified", async () => (await store.ListAggregatesInStatesAsync(Change.Type, [nameof(ChangeState.Verifying)], cancellationToken))
                .Select(Restore).Select(c => Line.Of(ChangesCommand.Summary(c, now), c.Data.VerifyUntil is { } until ? Line.Of(" · watched until ", Time(until)) : null)), cancellationToken),
            SectionAsync("Unreviewed break-glass changes", async () => (await store.ListAggregatesAsync(Change.Type, now - BreakGlassLookBack, MaxChangesRead, cancellationToken))
                .Select(Restore).Where(c => c.Data.Unreviewed).Select(c => ChangesCommand.Summary(c, now)), cancellationToken),
            SectionAsync($"Alarms in ALARM ({secureBase.Value.DefaultEnvironment})", () => FiringAsync(cancellationToken), cancellationToken));
        return new HandoffSnapshot(now, sections);
    }

    private async Task<IEnumerable<Line>> FiringAsync(CancellationToken cancellationToken)
    {
        var env = secureBase.Value.Get(null);
        var response = await cloudWatch.DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNamePrefix = env.AlarmPrefix, StateValue = "ALARM" }, cancellationToken);
        return response.MetricAlarms.Where(a => a.StateValue == "ALARM").Select(a => (Name: a.AlarmName, Reason: a.StateReason))
            .Concat(response.CompositeAlarms.Where(a => a.StateValue == "ALARM").Select(a => (Name: a.AlarmName, Reason: (string?)"composite")))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => Line.Of(Emoji("red_circle"), " ", Value(a.Name ?? "?", 120), a.Reason is { } reason ? Line.Of(" — ", Echo(reason, 160)) : null));
    }

    private async Task<HandoffSection> SectionAsync(string title, Func<Task<IEnumerable<Line>>> read, CancellationToken cancellationToken)
    {
        try
        {
            return new HandoffSection(title, (await read()).ToList());
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The handoff's {Section} could not be read", title);
            return new HandoffSection(title, [], e.Message);
        }
    }

    private static Change Restore(AggregateRecord record) => (Change)Change.Definition.Restore(record);
}
