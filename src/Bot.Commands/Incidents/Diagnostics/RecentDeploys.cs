using System.Globalization;
using Bot.Workflows.Changes;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;

namespace Bot.Commands.Incidents.Diagnostics;

/// <summary>
/// What the Change workflow did to a function's alias lately, and whether a completed deploy still offers its one-click
/// rollback to the approved previous version: the newest change that moved the alias, completed, inside its rollback
/// window, and is still where the alias points (otherwise rolling it back would undo someone else's move).
/// </summary>
public sealed class RecentDeploys(IAggregateStore store, ICloud cloud)
{
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(1);
    public const int MaxChanges = 200;
    public const int MaxLines = 5;
    public const string Alias = "PROD";

    public async Task<(IReadOnlyList<string> Lines, string? LiveAlias, RollbackOffer? Offer)> ReadAsync(string function, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var live = await cloud.GetAliasAsync(function, Alias, cancellationToken);
        var records = await store.ListAggregatesAsync(Change.Type, at - LookBack, MaxChanges, cancellationToken);
        var moves = records.Select(r => (Change)Change.Definition.Restore(r))
            .Where(c => c.Data.Spec.MovesAlias && c.Data.Spec.Function == function && c.Data.AppliedAt is not null)
            .OrderByDescending(c => c.Data.AppliedAt)
            .ToList();
        var lines = moves.Take(MaxLines).Select(c =>
            $"{c.Id}: {c.Data.Spec.Kind.ToString().ToLowerInvariant()} {Alias} {c.Data.Spec.FromVersion} → {c.Data.Spec.ToVersion} by @{c.Data.RequesterName}, " +
            $"applied {c.Data.AppliedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}, now {c.CurrentState}").ToList();
        var newest = moves.FirstOrDefault();
        // Only a deploy has a one-click rollback (a rollback change is never undone with one click), and only while its version is live.
        var offer = newest is { CurrentState: ChangeState.Completed or ChangeState.NotVerified, Data.RollbackUntil: { } until, Data.SupersededBy: null, Data.Spec.Kind: ChangeKind.Deploy }
                    && until > at && newest.Data.Spec.ToVersion == live.Version
            ? new RollbackOffer(newest.Id, newest.CardVersion, function, newest.Data.Spec.FromVersion!, newest.Data.Spec.ToVersion!, newest.Data.FinishedAt ?? newest.Data.AppliedAt!.Value, until)
            : null;
        return (lines, $"{Alias} → version {live.Version}", offer);
    }
}
