using System.Globalization;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;

namespace Bot.Commands.Changes;

/// <summary>An older version the alias served before, and how the bot knows it did.</summary>
public sealed record PreviouslyLive(string Version, string Evidence);

/// <summary>
/// Which versions a rollback may go back to: only ones the <c>PROD</c> alias pointed at before — from the bot's own change
/// history (the versions its applied changes moved the alias from and to), or from CloudWatch (invocations through the
/// alias that ran that version, over the last <see cref="CloudWatchLookBack"/>). Anything else never served production
/// here, so it is a deploy, with the staging check.
/// </summary>
public sealed class RollbackTargets(ChangeReader changes, ICloud cloud, TimeProvider time)
{
    public static readonly TimeSpan HistoryLookBack = TimeSpan.FromDays(90);
    public static readonly TimeSpan CloudWatchLookBack = TimeSpan.FromDays(14);
    public const int MaxCandidates = 5;

    /// <summary>Whether <paramref name="alias"/> of <paramref name="function"/> served <paramref name="version"/> before; null when the bot has no evidence.</summary>
    public async Task<PreviouslyLive?> CheckAsync(string function, string alias, string version, CancellationToken cancellationToken)
    {
        var moves = await MovesAsync(function, alias, cancellationToken);
        if (moves.FirstOrDefault(c => c.Data.Spec.FromVersion == version || c.Data.Spec.ToVersion == version) is { } change)
            return new PreviouslyLive(version, $"change {change.Id} moved {alias} {(change.Data.Spec.FromVersion == version ? "from" : "to")} it");
        return await ServedAsync(function, alias, version, cancellationToken);
    }

    /// <summary>The version to go back to by default: the one the change that made <paramref name="current"/> live moved from, else the newest older version CloudWatch saw served.</summary>
    public async Task<PreviouslyLive?> DefaultAsync(string function, string alias, string current, CancellationToken cancellationToken)
    {
        var moves = await MovesAsync(function, alias, cancellationToken);
        if (moves.FirstOrDefault(c => c.Data.Spec.ToVersion == current && IsOlder(c.Data.Spec.FromVersion, current)) is { } change)
            return new PreviouslyLive(change.Data.Spec.FromVersion!, $"change {change.Id} moved {alias} from it to v{current}");
        var older = (await cloud.ListVersionsAsync(function, cancellationToken)).Where(v => IsOlder(v.Version, current)).Take(MaxCandidates);
        foreach (var candidate in older)
            if (await ServedAsync(function, alias, candidate.Version, cancellationToken) is { } served) return served;
        return null;
    }

    public static bool IsOlder(string? version, string than) =>
        long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && long.TryParse(than, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && v < t;

    private async Task<PreviouslyLive?> ServedAsync(string function, string alias, string version, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var served = await cloud.CountInvocationsAsync(function, alias, version, now - CloudWatchLookBack, now, cancellationToken);
        return served.Invocations > 0
            ? new PreviouslyLive(version, $"CloudWatch shows {served.Invocations.ToString(CultureInfo.InvariantCulture)} invocation(s) of it through {alias} in the last {CloudWatchLookBack.TotalDays:0} days")
            : null;
    }

    /// <summary>The bot's applied moves of this alias, newest first.</summary>
    private async Task<List<Change>> MovesAsync(string function, string alias, CancellationToken cancellationToken) =>
        (await changes.RecentAsync(time.GetUtcNow() - HistoryLookBack, ChangeRequester.MaxChangesRead, cancellationToken))
            .Where(c => c.Data.Spec.MovesAlias && c.Data.Spec.Function == function && c.Data.Spec.Alias == alias && c.Data.AppliedAt is not null)
            .OrderByDescending(c => c.Data.AppliedAt)
            .ToList();
}
