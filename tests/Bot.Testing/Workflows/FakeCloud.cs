using Bot.Testing;
using System.Collections.Concurrent;
using Bot.Workflows.Ports;

namespace Bot.Testing.Workflows;

/// <summary>
/// An in-memory cloud for unit tests of the Change aggregate: aliases with revisions, versions with code hashes,
/// settings, concurrency and error counts per version. (The real adapter is tested against the sandbox account.)
/// </summary>
public sealed class FakeCloud : ICloud
{
    private int _revision;
    private readonly ConcurrentDictionary<(string, string), AliasState> _aliases = new();
    private readonly ConcurrentDictionary<(string, string), VersionInfo> _versions = new();
    private readonly ConcurrentDictionary<string, FunctionSettings> _settings = new();
    private readonly ConcurrentDictionary<string, int?> _reserved = new();
    private readonly ConcurrentDictionary<(string, string), int?> _provisioned = new();

    public bool IsRehearsal { get; set; }
    public int Writes { get; private set; }
    /// <summary>Errors per version reported by <see cref="CountErrorsAsync"/> (and for null: the function as a whole).</summary>
    public ConcurrentDictionary<string, long> Errors { get; } = new();
    public Exception? FailNextWrite { get; set; }

    private string NextRevision() => $"rev-{Interlocked.Increment(ref _revision)}";

    public FakeCloud Function(string function, string aliasVersion, params (string Version, string Sha, string Description)[] versions)
    {
        foreach (var v in versions) _versions[(function, v.Version)] = new VersionInfo(function, v.Version, v.Sha, v.Description);
        _aliases[(function, "PROD")] = new AliasState(function, "PROD", aliasVersion, NextRevision());
        _settings[function] = new FunctionSettings(function, NextRevision(), 512, 30, new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["DB_PASSWORD"] = "old-secret" }, versions[^1].Sha);
        return this;
    }

    public void MoveByHand(string function, string version) =>
        _aliases[(function, "PROD")] = _aliases[(function, "PROD")] with { Version = version, RevisionId = NextRevision() };

    public void ChangeSettingsByHand(string function) => _settings[function] = _settings[function] with { RevisionId = NextRevision(), MemoryMb = 2048 };

    public string AliasVersion(string function) => _aliases[(function, "PROD")].Version;

    public FunctionSettings Settings(string function) => _settings[function];

    public Task<AliasState> GetAliasAsync(string function, string alias, CancellationToken cancellationToken) =>
        _aliases.TryGetValue((function, alias), out var a) ? Task.FromResult(a) : throw new PortException("ResourceNotFound", $"{function}:{alias} does not exist", false);

    public Task<AliasState> MoveAliasAsync(string function, string alias, string toVersion, string expectedRevisionId, CancellationToken cancellationToken)
    {
        Write();
        var current = _aliases[(function, alias)];
        if (current.RevisionId != expectedRevisionId) throw new PortException("PreconditionFailed", "the alias changed since it was read", false);
        var moved = current with { Version = toVersion, RevisionId = NextRevision() };
        _aliases[(function, alias)] = moved;
        return Task.FromResult(moved);
    }

    public Task<VersionInfo> GetVersionAsync(string function, string version, CancellationToken cancellationToken) =>
        _versions.TryGetValue((function, version), out var v) ? Task.FromResult(v) : throw new PortException("ResourceNotFound", $"version {version} of {function} does not exist", false);

    public Task<IReadOnlyList<VersionInfo>> ListVersionsAsync(string function, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VersionInfo>>(_versions.Values.Where(v => v.Function == function).OrderByDescending(v => int.Parse(v.Version, System.Globalization.CultureInfo.InvariantCulture)).ToList());

    public void ReplaceCode(string function, string version, string sha) => _versions[(function, version)] = _versions[(function, version)] with { CodeSha256 = sha };

    public Task<FunctionSettings> GetSettingsAsync(string function, CancellationToken cancellationToken) => Task.FromResult(_settings[function]);

    public Task<FunctionSettings> UpdateSettingsAsync(string function, SettingsUpdate update, string expectedRevisionId, CancellationToken cancellationToken)
    {
        Write();
        var current = _settings[function];
        if (current.RevisionId != expectedRevisionId) throw new PortException("PreconditionFailed", "the function changed since it was read", false);
        var updated = current with
        {
            RevisionId = NextRevision(),
            MemoryMb = update.MemoryMb ?? current.MemoryMb,
            TimeoutSeconds = update.TimeoutSeconds ?? current.TimeoutSeconds,
            Environment = update.Environment ?? current.Environment,
        };
        _settings[function] = updated;
        return Task.FromResult(updated);
    }

    public Task<int?> GetReservedConcurrencyAsync(string function, CancellationToken cancellationToken) => Task.FromResult(_reserved.GetValueOrDefault(function));

    public Task SetReservedConcurrencyAsync(string function, int? value, CancellationToken cancellationToken)
    {
        Write();
        _reserved[function] = value;
        return Task.CompletedTask;
    }

    public Task<int?> GetProvisionedConcurrencyAsync(string function, string alias, CancellationToken cancellationToken) => Task.FromResult(_provisioned.GetValueOrDefault((function, alias)));

    public Task SetProvisionedConcurrencyAsync(string function, string alias, int? value, CancellationToken cancellationToken)
    {
        Write();
        _provisioned[(function, alias)] = value;
        return Task.CompletedTask;
    }

    public Task<long> CountErrorsAsync(string function, string? alias, string? executedVersion, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult(Errors.GetValueOrDefault(executedVersion ?? "*"));

    private void Write()
    {
        Writes++;
        if (FailNextWrite is { } failure)
        {
            FailNextWrite = null;
            throw failure;
        }
    }
}
