using System.Collections.Immutable;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.Secrets;

/// <summary>
/// The account's Secrets Manager secrets (see <see cref="SecretsCatalog"/> for what is planted) and their rotations.
/// A rotation runs on the account's clock: reads settle it to "now" (AWSPENDING on the new version after
/// createSecret; after finishSecret AWSCURRENT on it, AWSPREVIOUS on the old one; a failure at testSecret leaves
/// AWSPENDING behind and AWSCURRENT where it was). Thread-safe: changes replace records under a lock.
/// </summary>
public sealed class SecretsStore
{
    private readonly Lock _gate = new();
    private readonly SandboxAccount _account;
    private ImmutableSortedDictionary<string, SandboxSecret> _secrets;
    private long _versions;

    internal SecretsStore(SandboxAccount account)
    {
        _account = account;
        var o = account.Options;
        var builder = ImmutableSortedDictionary.CreateBuilder<string, SandboxSecret>(StringComparer.Ordinal);
        foreach (var env in account.Environments)
            foreach (var profile in SecretsCatalog.Secrets)
            {
                var secret = Generate(env, profile);
                builder[secret.Name] = secret;
            }
        _secrets = builder.ToImmutable();
        // The rotations of the recent past, in the rotation function's log group.
        foreach (var secret in _secrets.Values.Where(s => s.LastRotated is not null))
        {
            var current = secret.WithStage(SecretVersion.Current)!;
            var past = new RotationRun(current.VersionId, secret.LastRotated!.Value - o.SecretRotationStepDuration * 4, o.SecretRotationStepDuration, false);
            account.Logs.Append(SecretsCatalog.RotationFunctionName(secret.Environment), RotationLog.Lines(o.Seed, secret, past));
        }
    }

    /// <summary>Every secret, settled to now, by name.</summary>
    public IReadOnlyList<SandboxSecret> All
    {
        get
        {
            lock (_gate) return [.. _secrets.Keys.Select(SettledLocked)];
        }
    }

    /// <summary>A secret by name, full ARN or partial ARN (without the six random characters), settled to now; null when there is none.</summary>
    public SandboxSecret? Find(string id)
    {
        lock (_gate)
        {
            var name = NameOf(id);
            return name is null ? null : SettledLocked(name);
        }
    }

    public SandboxSecret Require(string id) =>
        Find(id) ?? throw new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

    /// <summary>
    /// RotateSecret: configures rotation when a function or rules are given, and (unless <paramref name="rotateImmediately"/>
    /// is false) starts a rotation to a new version <paramref name="token"/>. Returns the secret and the new version's id.
    /// </summary>
    public (SandboxSecret Secret, string? VersionId) Rotate(string id, string? token, string? lambdaArn, int? days, string? schedule, bool rotateImmediately)
    {
        lock (_gate)
        {
            var name = NameOf(id) ?? throw new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            var secret = SettledLocked(name);
            // The same ClientRequestToken again (a retry) is the same rotation, also while it runs (before createSecret made its version).
            if (token is not null && (secret.Versions.Any(v => v.VersionId == token) || secret.Rotation?.VersionId == token))
                return (secret, token);
            if (lambdaArn is not null && lambdaArn != RotationFunctionArn(secret.Environment))
                throw new AwsException("AccessDeniedException",
                    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.");
            var arn = lambdaArn ?? secret.RotationLambdaArn
                ?? throw new AwsException("InvalidRequestException",
                    "No Lambda rotation function ARN is associated with this secret. Configure rotation with a RotationLambdaARN and RotationRules.");
            if (days is not null || schedule is not null) secret = secret with { RotationDays = days, ScheduleExpression = schedule };
            else if (secret.RotationDays is null && secret.ScheduleExpression is null)
                throw new AwsException("InvalidRequestException", "The secret has no rotation schedule; specify RotationRules with AutomaticallyAfterDays or ScheduleExpression.");
            secret = secret with { RotationLambdaArn = arn };
            if (!rotateImmediately)
            {
                _secrets = _secrets.SetItem(name, secret);
                return (secret, null);
            }
            if (secret.RotationIncomplete)
                throw new AwsException("InvalidRequestException", "A previous rotation isn't complete. That rotation will be reattempted.");
            var versionId = token ?? Deterministic.Guid(_account.Options.Seed, "secret-version:" + name, Interlocked.Increment(ref _versions)).ToString();
            var run = new RotationRun(versionId, _account.Time.GetUtcNow(), _account.Options.SecretRotationStepDuration, _account.Faults.RotationFails(name));
            secret = secret with { Rotation = run };
            _secrets = _secrets.SetItem(name, secret);
            _account.Logs.Append(SecretsCatalog.RotationFunctionName(secret.Environment), RotationLog.Lines(_account.Options.Seed, secret, run));
            return (secret, versionId);
        }
    }

    /// <summary>
    /// UpdateSecretVersionStage: removes <paramref name="stage"/> from one version and/or moves it to another (moving
    /// AWSCURRENT puts AWSPREVIOUS on the version that had it).
    /// </summary>
    public SandboxSecret MoveStage(string id, string stage, string? removeFrom, string? moveTo)
    {
        lock (_gate)
        {
            var name = NameOf(id) ?? throw new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            var secret = SettledLocked(name);
            var holder = secret.WithStage(stage);
            if (holder is not null && holder.VersionId != removeFrom && moveTo is not null && holder.VersionId != moveTo)
                throw new AwsException("InvalidParameterException",
                    $"The staging label {stage} is currently attached to version {holder.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.");
            if (removeFrom is not null && holder?.VersionId != removeFrom)
                throw new AwsException("InvalidParameterException", $"The staging label {stage} is not attached to version {removeFrom}.");
            if (moveTo is not null && secret.Versions.All(v => v.VersionId != moveTo))
                throw new AwsException("ResourceNotFoundException", $"Secrets Manager can't find the specified secret version: {moveTo}.");
            var versions = secret.Versions.Select(v => v with { Stages = v.Stages.Remove(stage) }).ToList();
            if (moveTo is not null)
            {
                if (stage == SecretVersion.Current && holder is not null && holder.VersionId != moveTo)
                    versions = versions.Select(v => v with
                    {
                        Stages = v.VersionId == holder.VersionId ? v.Stages.Remove(SecretVersion.Previous).Add(SecretVersion.Previous) : v.Stages.Remove(SecretVersion.Previous),
                    }).ToList();
                versions = versions.Select(v => v.VersionId == moveTo ? v with { Stages = v.Stages.Add(stage) } : v).ToList();
            }
            secret = secret with { Versions = [.. versions.Where(v => v.Stages.Count > 0)], LastChanged = _account.Time.GetUtcNow() };
            _secrets = _secrets.SetItem(name, secret);
            return secret;
        }
    }

    /// <summary>GetSecretValue: the version with <paramref name="stage"/> (AWSCURRENT by default) or <paramref name="versionId"/>; marks the secret accessed today.</summary>
    public (SandboxSecret Secret, SecretVersion Version) Read(string id, string? versionId, string? stage)
    {
        lock (_gate)
        {
            var name = NameOf(id) ?? throw new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            var secret = SettledLocked(name);
            var version = versionId is not null
                ? secret.Versions.FirstOrDefault(v => v.VersionId == versionId && (stage is null || v.Stages.Contains(stage)))
                : secret.WithStage(stage ?? SecretVersion.Current);
            if (version is null)
                throw new AwsException("ResourceNotFoundException",
                    $"Secrets Manager can't find the specified secret value for {(versionId is null ? "staging label: " + (stage ?? SecretVersion.Current) : "VersionId: " + versionId)}");
            secret = secret with { LastAccessed = new DateTimeOffset(_account.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero) };
            _secrets = _secrets.SetItem(name, secret);
            return (secret, version);
        }
    }

    public string RotationFunctionArn(string environment) => _account.FunctionArn(SecretsCatalog.RotationFunctionName(environment));

    private string? NameOf(string id)
    {
        if (_secrets.ContainsKey(id)) return id;
        foreach (var s in _secrets.Values)
            if (s.Arn == id || (id.StartsWith("arn:", StringComparison.Ordinal) && s.Arn.StartsWith(id + "-", StringComparison.Ordinal) && s.Arn.Length == id.Length + 7))
                return s.Name;
        return null;
    }

    /// <summary>The secret with its running rotation moved on to now (and stored so).</summary>
    private SandboxSecret SettledLocked(string name)
    {
        var secret = _secrets[name];
        if (secret.Rotation is not { } run) return secret;
        var now = _account.Time.GetUtcNow();
        var settled = secret;
        var created = run.EndOf(1);
        if (now >= created && settled.Versions.All(v => v.VersionId != run.VersionId))
            // createSecret: the new version takes AWSPENDING (from the last rotation's version, which kept it beside AWSCURRENT).
            settled = settled with
            {
                Versions = [.. settled.Versions.Select(v => v with { Stages = v.Stages.Remove(SecretVersion.Pending) }).Where(v => v.Stages.Count > 0),
                    new SecretVersion(run.VersionId, created, [SecretVersion.Pending], SecretValues.For(_account.Options.Seed, settled.Environment, settled.Profile, run.VersionId))],
                LastChanged = created,
            };
        if (now >= run.End)
        {
            if (!run.FailsAtTest)
            {
                var old = settled.WithStage(SecretVersion.Current);
                var versions = settled.Versions.Select(v =>
                    v.VersionId == run.VersionId ? v with { Stages = [SecretVersion.Current, SecretVersion.Pending] }
                    : v.VersionId == old?.VersionId ? v with { Stages = [SecretVersion.Previous] }
                    : v with { Stages = v.Stages.Remove(SecretVersion.Previous) });
                settled = settled with { Versions = [.. versions.Where(v => v.Stages.Count > 0)], LastRotated = run.End, LastChanged = run.End };
            }
            settled = settled with { Rotation = null };
        }
        if (!ReferenceEquals(settled, secret)) _secrets = _secrets.SetItem(name, settled);
        return settled;
    }

    private SandboxSecret Generate(string env, SecretProfile profile)
    {
        var o = _account.Options;
        var name = SecretsCatalog.SecretName(env, profile.Suffix);
        var seed = o.Seed;
        DateTimeOffset At(double daysAgo, string purpose) =>
            DateTimeOffset.FromUnixTimeMilliseconds(_account.Created.AddDays(-daysAgo).AddMinutes(-Deterministic.Unit(seed, name + ":" + purpose, 0) * 300).ToUnixTimeMilliseconds());
        var age = profile.ProdAgeDays + SecretsCatalog.AgeOffset(env);
        var rotated = profile.RotationConfigured;
        var created = rotated ? At(env == "prod" ? 420 : 380, "created") : At(age, "created");
        var current = new SecretVersion(Deterministic.Guid(seed, name + ":current").ToString(), rotated ? At(age, "rotated") : created, [SecretVersion.Current],
            "");
        var versions = ImmutableList.Create(current);
        if (rotated)
        {
            var previous = new SecretVersion(Deterministic.Guid(seed, name + ":previous").ToString(), At(age + (profile.RotationDays ?? 90), "rotated-before"), [SecretVersion.Previous], "");
            versions = [previous, current];
        }
        versions = [.. versions.Select(v => v with { Value = SecretValues.For(seed, env, profile, v.VersionId) })];
        var readers = profile.ReadBy.Count > 0;
        return new SandboxSecret(
            name, SecretsCatalog.SecretArn(o, name), env, profile.Description,
            profile.Kind == "database" ? $"arn:aws:kms:{o.Region}:{o.AccountId}:key/{Deterministic.Guid(seed, "kms:" + env)}" : null,
            created,
            rotated ? RotationFunctionArn(env) : null, profile.RotationDays, profile.ScheduleExpression,
            rotated ? current.Created : null, current.Created,
            readers ? new DateTimeOffset(_account.Created.UtcDateTime.Date, TimeSpan.Zero) : null,
            [new("Project", "SecureBase"), new("Environment", env), new("Owner", "platform-ops"), new("DataClass", "credentials")],
            versions, null)
        {
            Profile = profile,
        };
    }
}
