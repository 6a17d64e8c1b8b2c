using System.Collections.Immutable;

namespace Bot.Sandbox.Account.Lambda;

/// <summary>A reserved-concurrency setting in force from <see cref="From"/> (null: none reserved).</summary>
public sealed record ConcurrencySetting(DateTimeOffset From, int? Reserved);

/// <summary>
/// One SecureBase Lambda function: <c>$LATEST</c>, its published versions, aliases and reserved concurrency.
/// Mutated only through <see cref="SandboxAccount"/> under its lock; readers see immutable snapshots.
/// </summary>
public sealed class LambdaFunction
{
    internal LambdaFunction(string name, string environment, FunctionProfile profile, FunctionVersion latest,
        ImmutableList<FunctionVersion> versions, IReadOnlyDictionary<string, string> tags)
    {
        Name = name;
        Environment = environment;
        Profile = profile;
        Latest = latest;
        Versions = versions;
        Tags = tags;
        Concurrency = [new ConcurrencySetting(DateTimeOffset.MinValue, null)];
    }

    public string Name { get; }
    public string Environment { get; }
    internal FunctionProfile Profile { get; }
    public IReadOnlyDictionary<string, string> Tags { get; }

    public FunctionVersion Latest { get; internal set; }
    public ImmutableList<FunctionVersion> Versions { get; internal set; }
    public ImmutableDictionary<string, LambdaAlias> Aliases { get; internal set; } = ImmutableDictionary<string, LambdaAlias>.Empty;
    public ImmutableList<ConcurrencySetting> Concurrency { get; internal set; }

    /// <summary>Provisioned concurrency by alias or version.</summary>
    public ImmutableDictionary<string, ProvisionedConcurrencyConfig> ProvisionedConcurrency { get; internal set; } =
        ImmutableDictionary<string, ProvisionedConcurrencyConfig>.Empty;

    public int? ReservedConcurrency => Concurrency[^1].Reserved;

    public int? ReservedConcurrencyAt(DateTimeOffset at)
    {
        var history = Concurrency;
        for (var i = history.Count - 1; i > 0; i--)
            if (history[i].From <= at) return history[i].Reserved;
        return history[0].Reserved;
    }

    public FunctionVersion? Version(string version) =>
        version == "$LATEST" ? Latest : Versions.FirstOrDefault(v => v.Version == version);

    /// <summary>The alias the traffic goes through (<c>PROD</c>), if any.</summary>
    public LambdaAlias? TrafficAlias => Aliases.TryGetValue("PROD", out var a) ? a : Aliases.Values.FirstOrDefault();
}
