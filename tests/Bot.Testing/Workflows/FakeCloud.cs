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
    /// <summary>Errors per version (a count through the alias reads the version it points at now).</summary>
    public ConcurrentDictionary<string, long> Errors { get; } = new();
    /// <summary>Invocations per version; <see cref="DefaultInvocations"/> for a version not listed.</summary>
    public ConcurrentDictionary<string, long> Invocations { get; } = new();
    public long DefaultInvocations { get; set; } = 1000;
    /// <summary>Counting fails with this (once per assignment) when set.</summary>
    public Exception? FailNextCount { get; set; }
    /// <summary>Alarms in ALARM, with when they entered it.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> AlarmsInAlarm { get; } = new();
    /// <summary>How many calls the bot made, by name (e.g. <c>GetAlias</c>).</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();
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
        _aliases[(function, "PROD")] = _aliases[(function, "PROD")] with { Version = version, RevisionId = NextRevision(), Weights = new Dictionary<string, double>() };

    /// <summary>Splits the alias's traffic: <paramref name="weight"/> of it to <paramref name="version"/>.</summary>
    public void Weigh(string function, string version, double weight) =>
        _aliases[(function, "PROD")] = _aliases[(function, "PROD")] with { RevisionId = NextRevision(), Weights = new Dictionary<string, double> { [version] = weight } };

    public void ChangeSettingsByHand(string function) => _settings[function] = _settings[function] with { RevisionId = NextRevision(), MemoryMb = 2048 };

    public string AliasVersion(string function) => _aliases[(function, "PROD")].Version;

    public FunctionSettings Settings(string function) => _settings[function];

    public Task<AliasState> GetAliasAsync(string function, string alias, CancellationToken cancellationToken) =>
        Count("GetAlias") && _aliases.TryGetValue((function, alias), out var a) ? Task.FromResult(a) : throw new PortException("ResourceNotFound", $"{function}:{alias} does not exist", false);

    public Task<AliasState> MoveAliasAsync(string function, string alias, string toVersion, string expectedRevisionId, CancellationToken cancellationToken)
    {
        var current = _aliases[(function, alias)];
        if (current.RevisionId != expectedRevisionId) throw new PortException("PreconditionFailed", "the alias changed since it was read", false);
        Write();
        var moved = current with { Version = toVersion, RevisionId = NextRevision(), Weights = new Dictionary<string, double>() };
        _aliases[(function, alias)] = moved;
        return Task.FromResult(moved);
    }

    public Task<VersionInfo> GetVersionAsync(string function, string version, CancellationToken cancellationToken) =>
        Count("GetVersion") && _versions.TryGetValue((function, _aliases.TryGetValue((function, version), out var aliased) ? aliased.Version : version), out var v) ? Task.FromResult(v) : throw new PortException("ResourceNotFound", $"version {version} of {function} does not exist", false);

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

    public Task<InvocationCounts> CountInvocationsAsync(string function, string? alias, string? executedVersion, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        Count("CountInvocations");
        if (FailNextCount is { } failure)
        {
            FailNextCount = null;
            throw failure;
        }
        var version = executedVersion ?? (alias is null ? "*" : _aliases[(function, alias)].Version);
        return Task.FromResult(new InvocationCounts(Invocations.TryGetValue(version, out var n) ? n : DefaultInvocations, Errors.GetValueOrDefault(version)));
    }

    public Task<IReadOnlyList<string>> AlarmsEnteredAsync(IReadOnlyList<string> alarmNames, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(alarmNames.Where(n => AlarmsInAlarm.TryGetValue(n, out var at) && at >= since).ToList());

    private bool Count(string call)
    {
        Calls.AddOrUpdate(call, 1, (_, n) => n + 1);
        return true;
    }

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
