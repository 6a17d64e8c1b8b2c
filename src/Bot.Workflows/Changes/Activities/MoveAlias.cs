using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// Points an alias from one version to another (deploy, rollback), clearing any weighted routing. With
/// <see cref="ExpectedRevisionId"/> (the revision the preflight read a moment ago) the move is one call, conditional on it.
/// </summary>
public sealed record MoveAlias(string Function, string Alias, string From, string To) : Activity
{
    public string? ExpectedRevisionId { get; init; }

    public override string Describe() => $"move {Alias} of {Function} from {From} to {To}";
}

/// <summary>
/// Already at <see cref="MoveAlias.To"/> → done (an earlier attempt got through). At <see cref="MoveAlias.From"/> → move it,
/// conditional on the revision read (by the preflight, or here), so a move by someone else in between fails instead of
/// being overwritten. Anywhere else → someone else moved it: fail, change nothing.
/// </summary>
public sealed class MoveAliasHandler(ICloud cloud) : ActivityHandler<MoveAlias>
{
    protected override async Task<LiveCheck> CheckAsync(MoveAlias a, CancellationToken cancellationToken)
    {
        // The preflight has just read the alias: the conditional move itself is the live check (see RunAsync).
        if (a.ExpectedRevisionId is not null) return LiveCheck.Go;
        var alias = await cloud.GetAliasAsync(a.Function, a.Alias, cancellationToken);
        if (alias.Version == a.To) return LiveCheck.Done($"{a.Alias} already points at version {a.To}");
        if (alias.Version == a.From) return LiveCheck.Go;
        return LiveCheck.Differs("AliasMoved", Moved(a, alias));
    }

    protected override async Task<ActivityResult> RunAsync(MoveAlias a, CancellationToken cancellationToken)
    {
        var revision = a.ExpectedRevisionId;
        if (revision is null)
        {
            var alias = await cloud.GetAliasAsync(a.Function, a.Alias, cancellationToken);
            if (alias.Version != a.From)
                throw new PortException("AliasMoved", $"{a.Alias} of {a.Function} moved to version {alias.Version} a moment ago; nothing was changed.", transient: false);
            revision = alias.RevisionId;
        }
        try
        {
            var moved = await cloud.MoveAliasAsync(a.Function, a.Alias, a.To, revision, cancellationToken);
            return new ActivityResult($"{a.Alias} of {a.Function} now points at version {moved.Version}");
        }
        catch (PortException e) when (e.Code == "PreconditionFailed")
        {
            // The revision is not the one read: an earlier attempt of ours got through, or someone else moved it.
            var alias = await cloud.GetAliasAsync(a.Function, a.Alias, cancellationToken);
            if (alias.Version == a.To && alias.Weights.Count == 0) return new ActivityResult($"{a.Alias} already points at version {a.To}") { FoundDone = true };
            throw new PortException("AliasMoved", Moved(a, alias), transient: false, e);
        }
    }

    private static string Moved(MoveAlias a, AliasState alias) =>
        $"{a.Alias} of {a.Function} points at version {alias.Version} now, not {a.From}; someone else moved it. Nothing was changed.";
}
