namespace Bot.Sandbox.Account.Lambda;

/// <summary>Provisioned concurrency requested on an alias or version, since <see cref="LastModified"/>.</summary>
public sealed record ProvisionedConcurrencyConfig(string Qualifier, int Requested, DateTimeOffset LastModified);

/// <summary>A provisioned-concurrency config as Lambda reports it: <c>IN_PROGRESS</c> while allocating, then <c>READY</c>.</summary>
public sealed record ProvisionedConcurrencyState(ProvisionedConcurrencyConfig Config, string Status, int Allocated);
