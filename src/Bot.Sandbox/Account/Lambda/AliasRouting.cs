namespace Bot.Sandbox.Account.Lambda;

/// <summary>Where an alias sent traffic from <see cref="From"/> on: its version, plus an optional weighted second version.</summary>
public sealed record AliasRouting(DateTimeOffset From, string Version, string? AdditionalVersion, double AdditionalWeight)
{
    /// <summary>The share of traffic <paramref name="version"/> received under this routing.</summary>
    public double ShareOf(string version)
    {
        var share = 0.0;
        if (version == Version) share += 1 - AdditionalWeight;
        if (version == AdditionalVersion) share += AdditionalWeight;
        return share;
    }
}
