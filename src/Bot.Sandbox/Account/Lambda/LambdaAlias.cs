using System.Collections.Immutable;

namespace Bot.Sandbox.Account.Lambda;

/// <summary>A function alias (the ops guide uses <c>PROD</c>) with the history of where it pointed.</summary>
public sealed class LambdaAlias
{
    internal LambdaAlias(string name, string description, AliasRouting initial, string revisionId)
    {
        Name = name;
        Description = description;
        History = [initial];
        RevisionId = revisionId;
    }

    public string Name { get; }
    public string Description { get; internal set; }
    public string RevisionId { get; internal set; }

    /// <summary>Every routing the alias had, oldest first; the last one is current.</summary>
    public ImmutableList<AliasRouting> History { get; internal set; }

    public AliasRouting Current => History[^1];

    /// <summary>The routing in force at <paramref name="at"/>.</summary>
    public AliasRouting At(DateTimeOffset at)
    {
        var history = History;
        for (var i = history.Count - 1; i > 0; i--)
            if (history[i].From <= at) return history[i];
        return history[0];
    }
}
