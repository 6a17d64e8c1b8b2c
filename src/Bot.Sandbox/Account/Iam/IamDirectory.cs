using System.Collections.Immutable;
using Bot.Sandbox.Account.Secrets;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.Iam;

/// <summary>
/// The account's IAM roles and managed policies. Every SecureBase function has an execution role
/// <c>securebase-&lt;env&gt;-&lt;function&gt;-role</c> (named in its configuration's <c>Role</c>), and so does the
/// rotation function. Roles have the environment's <c>securebase-&lt;env&gt;-lambda-logging</c> policy attached and
/// an inline policy <c>&lt;function&gt;-permissions</c>; user-management also has
/// <c>securebase-&lt;env&gt;-user-management-data</c> (three versions, v3 the default). Changes (the control API's,
/// to rehearse a second access review) replace whole records under a lock; readers see snapshots.
/// </summary>
public sealed class IamDirectory
{
    private readonly Lock _gate = new();
    private readonly SandboxAccount _account;
    private ImmutableSortedDictionary<string, IamRole> _roles;
    private ImmutableSortedDictionary<string, ManagedPolicy> _policies;

    internal IamDirectory(SandboxAccount account)
    {
        _account = account;
        var o = account.Options;
        var roles = ImmutableSortedDictionary.CreateBuilder<string, IamRole>(StringComparer.Ordinal);
        var policies = ImmutableSortedDictionary.CreateBuilder<string, ManagedPolicy>(StringComparer.Ordinal);
        foreach (var env in account.Environments)
        {
            var envCreated = account.Created.AddDays(-(env == "prod" ? 430 : env == "staging" ? 390 : 210));
            var logging = Policy($"securebase-{env}-lambda-logging", "Lambda functions of SecureBase write to their own log groups",
                [(PolicyDocuments.Logging(o, env), envCreated)]);
            var data = Policy($"securebase-{env}-user-management-data", "user-management reads and writes the SecureBase tables it owns",
                [.. Enumerable.Range(1, 3).Select(v => (PolicyDocuments.UserManagementData(o, env, v), envCreated.AddDays(60 * (v - 1) + 2)))]);
            policies[logging.Arn] = logging;
            policies[data.Arn] = data;

            var suffixes = SecureBaseCatalog.Functions.Select(f => f.Suffix).Append(SecretsCatalog.RotationFunction);
            foreach (var suffix in suffixes)
            {
                var name = RoleName(env, suffix);
                var attached = ImmutableList.Create(logging.Arn);
                if (suffix == SecureBaseCatalog.UserManagement) attached = attached.Add(data.Arn);
                roles[name] = new IamRole(
                    name, "AROA" + Id(name), $"arn:aws:iam::{o.AccountId}:role/{name}",
                    Seconds(envCreated.AddMinutes(Deterministic.Unit(o.Seed, name + ":created", 0) * 600)),
                    PolicyDocuments.LambdaTrust(),
                    $"Execution role of securebase-{env}-{suffix}",
                    [new("Project", "SecureBase"), new("Environment", env), new("Service", suffix)],
                    LastUsed(account, env, suffix),
                    attached,
                    ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add(InlinePolicyName(suffix), PolicyDocuments.Inline(o, env, suffix)));
            }
        }
        _roles = roles.ToImmutable();
        _policies = policies.ToImmutable();

        ManagedPolicy Policy(string name, string description, IReadOnlyList<(string Document, DateTimeOffset At)> versions) => new(
            name, "ANPA" + Id(name), $"arn:aws:iam::{o.AccountId}:policy/{name}", description, versions[0].At,
            $"v{versions.Count}",
            [.. versions.Select((v, i) => new PolicyVersion($"v{i + 1}", v.Document, Seconds(v.At)))]);
    }

    public static string RoleName(string environment, string functionSuffix) => $"securebase-{environment}-{functionSuffix}-role";

    public static string InlinePolicyName(string functionSuffix) => $"{functionSuffix}-permissions";

    public IEnumerable<IamRole> Roles => _roles.Values;

    public IEnumerable<ManagedPolicy> Policies => _policies.Values;

    public IamRole RequireRole(string name) =>
        _roles.GetValueOrDefault(name) ?? throw NoSuchEntity($"The role with name {name} cannot be found.");

    /// <summary>A managed policy by ARN: the account's own, or an AWS managed one (none are used here).</summary>
    public ManagedPolicy RequirePolicy(string arn) =>
        _policies.GetValueOrDefault(arn) ?? throw NoSuchEntity($"Policy {arn} does not exist or is not attachable.");

    /// <summary>Creates or replaces an inline policy of a role (as PutRolePolicy does).</summary>
    public void PutRolePolicy(string roleName, string policyName, string document)
    {
        lock (_gate)
        {
            var role = RequireRole(roleName);
            _roles = _roles.SetItem(roleName, role with { InlinePolicies = role.InlinePolicies.SetItem(policyName, document) });
        }
    }

    /// <summary>Deletes an inline policy of a role; NoSuchEntity when it has none by that name.</summary>
    public void DeleteRolePolicy(string roleName, string policyName)
    {
        lock (_gate)
        {
            var role = RequireRole(roleName);
            if (!role.InlinePolicies.ContainsKey(policyName))
                throw NoSuchEntity($"The role policy with name {policyName} cannot be found.");
            _roles = _roles.SetItem(roleName, role with { InlinePolicies = role.InlinePolicies.Remove(policyName) });
        }
    }

    /// <summary>Adds a version to a managed policy and makes it the default (as CreatePolicyVersion with SetAsDefault).</summary>
    public PolicyVersion CreatePolicyVersion(string policyArn, string document)
    {
        lock (_gate)
        {
            var policy = RequirePolicy(policyArn);
            var number = policy.Versions.Max(v => int.Parse(v.VersionId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)) + 1;
            var version = new PolicyVersion($"v{number}", document, Seconds(_account.Time.GetUtcNow()));
            _policies = _policies.SetItem(policyArn, policy with { Versions = policy.Versions.Add(version), DefaultVersionId = version.VersionId });
            return version;
        }
    }

    /// <summary>
    /// Plants the drift a second access review should report for a function's role: an inline policy
    /// <c>temporary-debug-access</c> (<c>dynamodb:*</c> on every table of the account) and, for user-management, a
    /// new default version of its data policy that also allows <c>dynamodb:DeleteTable</c>.
    /// </summary>
    public IamRole Drift(string roleName)
    {
        var role = RequireRole(roleName);
        PutRolePolicy(roleName, "temporary-debug-access", PolicyDocuments.TemporaryDebugAccess(_account.Options));
        foreach (var arn in role.AttachedPolicyArns.Where(a => a.EndsWith("-user-management-data", StringComparison.Ordinal)))
        {
            var current = RequirePolicy(arn).Default.Document;
            CreatePolicyVersion(arn, current.Replace("\"dynamodb:DeleteItem\"", "\"dynamodb:DeleteItem\",\n                \"dynamodb:DeleteTable\"", StringComparison.Ordinal));
        }
        return RequireRole(roleName);
    }

    private static AwsException NoSuchEntity(string message) => new("NoSuchEntity", message, 404);

    /// <summary>IAM's unique ids: 17 characters after the four-letter prefix (AROA roles, ANPA policies).</summary>
    private string Id(string name)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        return string.Concat(Enumerable.Range(0, 17).Select(i => alphabet[(int)(Deterministic.Unit(_account.Options.Seed, "iam-id:" + name, i) * alphabet.Length)]));
    }

    /// <summary>
    /// When IAM last saw the role used (it tracks this with up to four hours' delay): busy functions minutes before
    /// the account was made, the rotation function at the last rotation.
    /// </summary>
    private static DateTimeOffset? LastUsed(SandboxAccount account, string env, string suffix)
    {
        var minutesAgo = suffix == SecretsCatalog.RotationFunction
            ? 1440.0 * SecretsCatalog.Secrets.Where(s => s.RotationConfigured).Min(s => s.ProdAgeDays + SecretsCatalog.AgeOffset(env))
            : 20 + Deterministic.Unit(account.Options.Seed, $"role-used:{env}:{suffix}", 0) * 200;
        return Seconds(account.Created.AddMinutes(-minutesAgo));
    }

    /// <summary>IAM reports times to the second.</summary>
    private static DateTimeOffset Seconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());
}
