using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>Points an alias from one version to another (deploy, rollback), on the alias's live revision.</summary>
public sealed record MoveAlias(string Function, string Alias, string From, string To) : Activity
{
    public override string Describe() => $"move {Alias} of {Function} from {From} to {To}";
}

/// <summary>
/// Already at <see cref="MoveAlias.To"/> → done (an earlier attempt got through). At <see cref="MoveAlias.From"/> → move it,
/// conditional on the revision just read, so a move by someone else in between fails instead of being overwritten.
/// Anywhere else → someone else moved it: fail, change nothing.
/// </summary>
public sealed class MoveAliasHandler(ICloud cloud) : ActivityHandler<MoveAlias>
{
    protected override async Task<LiveCheck> CheckAsync(MoveAlias a, CancellationToken cancellationToken)
    {
        var alias = await cloud.GetAliasAsync(a.Function, a.Alias, cancellationToken);
        if (alias.Version == a.To) return LiveCheck.Done($"{a.Alias} already points at version {a.To}");
        if (alias.Version == a.From) return LiveCheck.Go;
        return LiveCheck.Differs("AliasMoved", $"{a.Alias} of {a.Function} points at version {alias.Version}, not {a.From}; someone else moved it. Nothing was changed.");
    }

    protected override async Task<ActivityResult> RunAsync(MoveAlias a, CancellationToken cancellationToken)
    {
        var alias = await cloud.GetAliasAsync(a.Function, a.Alias, cancellationToken);
        if (alias.Version != a.From)
            throw new PortException("AliasMoved", $"{a.Alias} of {a.Function} moved to version {alias.Version} a moment ago; nothing was changed.", transient: false);
        var moved = await cloud.MoveAliasAsync(a.Function, a.Alias, a.To, alias.RevisionId, cancellationToken);
        return new ActivityResult($"{a.Alias} of {a.Function} now points at version {moved.Version}");
    }
}
