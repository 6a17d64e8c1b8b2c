using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.Lambda;

namespace Bot.Sandbox.Account;

/// <summary>Builds the account's functions and tables from the catalog, the seed and the creation time.</summary>
internal static class SandboxGenerator
{
    public static LambdaFunction Function(SandboxAccount account, string env, FunctionProfile profile)
    {
        var seed = account.Options.Seed;
        var name = SecureBaseCatalog.FunctionName(env, profile.Suffix);
        var published = profile.PublishedVersions + env switch { "staging" => 1, "dev" => 2, _ => 0 };
        var role = $"arn:aws:iam::{account.Options.AccountId}:role/{Iam.IamDirectory.RoleName(env, profile.Suffix)}";
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["STAGE"] = env,
            ["LOG_LEVEL"] = env == "prod" ? "info" : "debug",
            ["POWERTOOLS_SERVICE_NAME"] = profile.Suffix,
            ["SESSIONS_TABLE"] = SecureBaseCatalog.TableName(env, SecureBaseCatalog.UserSessions),
            ["INVITES_TABLE"] = SecureBaseCatalog.TableName(env, SecureBaseCatalog.UserInvites),
            ["ACTIVITY_TABLE"] = SecureBaseCatalog.TableName(env, SecureBaseCatalog.ActivityFeed),
            ["REPORTS_TABLE"] = SecureBaseCatalog.TableName(env, SecureBaseCatalog.Reports),
        };
        // A secret kept where it should not be, as real accounts have: the bot must not print its value.
        if (profile.Suffix == SecureBaseCatalog.UserManagement)
            variables["INVITE_SMTP_PASSWORD"] = $"sb-{env}-" + Deterministic.Guid(seed, name + ":smtp").ToString("N")[..20];
        // Where the function finds the secrets it reads (their names or ARNs), so readers of a secret can be told from configuration.
        foreach (var (key, value) in Secrets.SecretsCatalog.VariablesFor(account.Options, env, profile.Suffix)) variables[key] = value;

        var versions = ImmutableList.CreateBuilder<FunctionVersion>();
        var at = account.Created.AddDays(-6 * published - 3);
        for (var v = 1; v <= published; v++)
        {
            at = at.AddDays(5 + Deterministic.Unit(seed, name + ":released", v) * 2).AddMinutes(Deterministic.Unit(seed, name + ":released-min", v) * 600);
            if (at > account.Created.AddDays(-1)) at = account.Created.AddDays(-1).AddMinutes(-v);
            var release = Release(v);
            versions.Add(new FunctionVersion(
                v.ToString(CultureInfo.InvariantCulture),
                ReleaseDescription(profile.Suffix, release),
                profile.Runtime, profile.Handler, role, profile.MemorySize, profile.Timeout,
                variables.ToImmutableDictionary(StringComparer.Ordinal),
                CodeSha(profile.Suffix, release), CodeSize(seed, profile.Suffix, release), Truncate(at),
                Deterministic.Guid(seed, name + ":version-revision", v).ToString(),
                release));
        }

        // $LATEST holds the next release, uploaded by CI but not yet published, so PublishVersion makes a new
        // version. Version n is release 1.n.0 everywhere, and staging and dev are ahead of prod, so staging's
        // PROD alias already runs the release waiting unpublished in prod's $LATEST.
        var next = Release(published + 1);
        var latest = versions[^1] with
        {
            Version = "$LATEST",
            Description = ReleaseDescription(profile.Suffix, next),
            CodeSha256 = CodeSha(profile.Suffix, next),
            CodeSize = CodeSize(seed, profile.Suffix, next),
            LastModified = Truncate(account.Created.AddHours(-2).AddMinutes(-Deterministic.Unit(seed, name + ":latest", 0) * 90)),
            RevisionId = Deterministic.Guid(seed, name + ":latest-revision").ToString(),
            Release = next,
        };

        var fn = new LambdaFunction(name, env, profile, latest, versions.ToImmutable(),
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Project"] = "SecureBase",
                ["Environment"] = env,
                ["Service"] = profile.Suffix,
                ["Owner"] = "platform-ops",
            });
        var prod = new LambdaAlias("PROD", "Traffic from the API goes through this alias",
            new AliasRouting(DateTimeOffset.MinValue, versions[^1].Version, null, 0),
            Deterministic.Guid(seed, name + ":alias-revision").ToString());
        fn.Aliases = fn.Aliases.Add(prod.Name, prod);
        if (env == "prod" && profile.Suffix != SecureBaseCatalog.ReportEngine)
            fn.Concurrency = [new ConcurrencySetting(DateTimeOffset.MinValue, profile.Suffix == SecureBaseCatalog.SessionManagement ? 200 : 100)];
        return fn;
    }

    public static DynamoTable Table(SandboxAccount account, string env, TableProfile profile)
    {
        var seed = account.Options.Seed;
        var name = SecureBaseCatalog.TableName(env, profile.Suffix);
        var scale = SecureBaseCatalog.Scale(env);
        var items = (long)Math.Round(profile.ProdItemCount * scale * (0.9 + 0.2 * Deterministic.Unit(seed, name + ":items", 0)));
        var size = (long)Math.Round(items * profile.AverageItemBytes * (0.95 + 0.1 * Deterministic.Unit(seed, name + ":size", 0)));
        var provisioned = profile.ProdProvisioned;
        var divisor = env == "prod" ? 1 : 5;
        return new DynamoTable(
            name, env,
            $"arn:aws:dynamodb:{account.Options.Region}:{account.Options.AccountId}:table/{name}",
            Deterministic.Guid(seed, name + ":table-id").ToString(),
            Truncate(account.Created.AddDays(-(env == "prod" ? 420 : env == "staging" ? 380 : 200) - Deterministic.Unit(seed, name + ":created", 0) * 30)),
            profile.HashKey, profile.HashKeyType, profile.RangeKey, profile.RangeKeyType, profile.IndexName, profile.IndexHashKey,
            items, size, provisioned,
            provisioned ? Math.Max(1, profile.ProdReadCapacity / divisor) : 0,
            provisioned ? Math.Max(1, profile.ProdWriteCapacity / divisor) : 0,
            profile.Stream, env == "prod",
            $"arn:aws:kms:{account.Options.Region}:{account.Options.AccountId}:key/{Deterministic.Guid(seed, "kms:" + env)}")
        {
            Profile = profile,
        };
    }

    /// <summary>The release of the n-th published version (and of the code uploaded after n-1 versions): <c>1.n.0</c>.</summary>
    public static string Release(int n) => $"1.{n.ToString(CultureInfo.InvariantCulture)}.0";

    /// <summary>What CI writes into a release's description, e.g. <c>securebase-user-management 1.8.0</c>.</summary>
    public static string ReleaseDescription(string suffix, string release) => $"securebase-{suffix} {release}";

    /// <summary>The hash of a release's zip: it depends on the function (by role, not environment) and the release only.</summary>
    public static string CodeSha(string suffix, string release) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"securebase-{suffix}@{release}")));

    public static long CodeSize(int seed, string suffix, string release) =>
        4_800_000 + (long)(Deterministic.Unit(seed, $"securebase-{suffix}@{release}:code-size", 0) * 1_400_000);

    /// <summary>Lambda reports times to the millisecond.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}
