using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account;

/// <summary>Changes to <c>$LATEST</c> settings (UpdateFunctionConfiguration); null members stay as they are.</summary>
public sealed record FunctionConfigurationChange(
    string? Description = null,
    string? Runtime = null,
    string? Handler = null,
    string? Role = null,
    int? MemorySize = null,
    int? Timeout = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? RevisionId = null);

/// <summary>Lambda control-plane mutations, with the checks and errors the Lambda API applies.</summary>
public sealed partial class SandboxAccount
{
    /// <summary><c>InProgress</c> while a recent update of <c>$LATEST</c> is settling, else <c>Successful</c>.</summary>
    public string LastUpdateStatus(LambdaFunction fn, FunctionVersion version) =>
        version.Version == "$LATEST" && UpdateInProgress(fn) ? "InProgress" : "Successful";

    private bool UpdateInProgress(LambdaFunction fn) =>
        Options.LambdaUpdateDuration > TimeSpan.Zero && Time.GetUtcNow() - fn.Latest.LastModified < Options.LambdaUpdateDuration;

    private AwsException UpdateConflict(LambdaFunction fn) =>
        new("ResourceConflictException", $"The operation cannot be performed at this time. An update is in progress for resource: {FunctionArn(fn.Name)}", 409);

    /// <summary>The function, or a 404 ResourceNotFoundException as Lambda answers.</summary>
    public LambdaFunction RequireFunction(string name) =>
        Function(name) ?? throw new AwsException("ResourceNotFoundException", $"Function not found: {FunctionArn(name)}", 404);

    /// <summary>Publishes <c>$LATEST</c> as a new version; when nothing changed since the last version, returns that version (as Lambda does).</summary>
    public FunctionVersion PublishVersion(string functionName, string? codeSha256 = null, string? description = null, string? revisionId = null)
    {
        FunctionVersion published;
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            var latest = fn.Latest;
            if (UpdateInProgress(fn)) throw UpdateConflict(fn);
            if (revisionId is not null && revisionId != latest.RevisionId)
                throw PreconditionFailed();
            if (!string.IsNullOrEmpty(codeSha256) && codeSha256 != latest.CodeSha256)
                throw new AwsException("InvalidParameterValueException",
                    $"CodeSHA256 ({codeSha256}) is different from current CodeSHA256 in $LATEST ({latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.");
            var last = fn.Versions.Count > 0 ? fn.Versions[^1] : null;
            if (last is not null && last.SameContentAs(latest with { Description = last.Description }) && description is null or "")
                return last;
            var number = (fn.Versions.Count == 0 ? 0 : int.Parse(last!.Version, CultureInfo.InvariantCulture)) + 1;
            published = latest with
            {
                Version = number.ToString(CultureInfo.InvariantCulture),
                Description = string.IsNullOrEmpty(description) ? latest.Description : description,
                LastModified = SandboxGenerator.Truncate(Time.GetUtcNow()),
                RevisionId = NextRevisionId(fn.Name),
            };
            fn.Versions = fn.Versions.Add(published);
            fn.Latest = latest with { RevisionId = NextRevisionId(fn.Name) };
        }
        Faults.OnVersionPublished(functionName, published.Version, Time.GetUtcNow());
        return published;
    }

    /// <summary>Points an alias at a version, optionally sending a weighted share to a second version.</summary>
    public LambdaAlias UpdateAlias(string functionName, string aliasName, string? functionVersion = null, string? description = null,
        IReadOnlyDictionary<string, double>? additionalVersionWeights = null, string? revisionId = null)
    {
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            if (!fn.Aliases.TryGetValue(aliasName, out var alias))
                throw new AwsException("ResourceNotFoundException", $"Alias not found: {FunctionArn(fn.Name, aliasName)}", 404);
            if (revisionId is not null && revisionId != alias.RevisionId) throw PreconditionFailed();

            var current = alias.Current;
            var version = functionVersion ?? current.Version;
            if (fn.Version(version) is null)
                throw new AwsException("ResourceNotFoundException", $"Function not found: {FunctionArn(fn.Name, version)}", 404);

            string? extra = current.AdditionalVersion;
            var weight = current.AdditionalWeight;
            if (additionalVersionWeights is not null)
            {
                if (additionalVersionWeights.Count > 1)
                    throw new AwsException("InvalidParameterValueException", "Number of entries in AdditionalVersionWeights map cannot exceed 1.");
                extra = null;
                weight = 0;
                foreach (var (v, w) in additionalVersionWeights)
                {
                    if (double.IsNaN(w) || w < 0 || w > 1)
                        throw new AwsException("InvalidParameterValueException", $"Invalid weight {w.ToString(CultureInfo.InvariantCulture)} for version {v}: weights must be between 0.0 and 1.0.");
                    if (!fn.Versions.Any(x => x.Version == v))
                        throw new AwsException("InvalidParameterValueException", $"Version {v} in AdditionalVersionWeights does not exist.");
                    if (v == version)
                        throw new AwsException("InvalidParameterValueException", "Primary version and additional version cannot be the same.");
                    if (version == "$LATEST")
                        throw new AwsException("InvalidParameterValueException", "RoutingConfig is not supported when the alias points to $LATEST.");
                    extra = w > 0 ? v : null;
                    weight = w > 0 ? w : 0;
                }
            }
            else if (extra == version)
            {
                extra = null;
                weight = 0;
            }

            alias.History = alias.History.Add(new AliasRouting(Time.GetUtcNow(), version, extra, weight));
            if (description is not null) alias.Description = description;
            alias.RevisionId = NextRevisionId(fn.Name + ":" + aliasName);
            return alias;
        }
    }

    /// <summary>Changes <c>$LATEST</c> settings (environment variables replace the whole map, as Lambda does).</summary>
    public FunctionVersion UpdateFunctionConfiguration(string functionName, FunctionConfigurationChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.MemorySize is < 128 or > 10240)
            throw new AwsException("InvalidParameterValueException", "'MemorySize' value failed to satisfy constraint: Member must have value between 128 and 10240.");
        if (change.Timeout is < 1 or > 900)
            throw new AwsException("InvalidParameterValueException", "'Timeout' value failed to satisfy constraint: Member must have value between 1 and 900.");
        if (change.Environment is { } env)
        {
            var bad = env.Keys.FirstOrDefault(k => k.Length < 2 || !char.IsAsciiLetter(k[0]) || !k.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
            if (bad is not null)
                throw new AwsException("InvalidParameterValueException", $"Environment variable name '{bad}' is not valid: names start with a letter and contain only letters, digits and '_'.");
            if (env.Keys.Any(k => k.StartsWith("AWS_", StringComparison.Ordinal) && k != "AWS_NODEJS_CONNECTION_REUSE_ENABLED"))
                throw new AwsException("InvalidParameterValueException", "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification.");
            if (env.Sum(kv => kv.Key.Length + kv.Value.Length) > 4096)
                throw new AwsException("InvalidParameterValueException", "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.");
        }
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            var latest = fn.Latest;
            if (UpdateInProgress(fn)) throw UpdateConflict(fn);
            if (change.RevisionId is not null && change.RevisionId != latest.RevisionId) throw PreconditionFailed();
            fn.Latest = latest with
            {
                Description = change.Description ?? latest.Description,
                Runtime = change.Runtime ?? latest.Runtime,
                Handler = change.Handler ?? latest.Handler,
                Role = change.Role ?? latest.Role,
                MemorySize = change.MemorySize ?? latest.MemorySize,
                Timeout = change.Timeout ?? latest.Timeout,
                Environment = change.Environment is { } vars ? new Dictionary<string, string>(vars, StringComparer.Ordinal) : latest.Environment,
                LastModified = SandboxGenerator.Truncate(Time.GetUtcNow()),
                RevisionId = NextRevisionId(fn.Name),
            };
            return fn.Latest;
        }
    }

    /// <summary>Sets reserved concurrency (0 stops the function: every invocation is throttled).</summary>
    public int PutFunctionConcurrency(string functionName, int reserved)
    {
        if (reserved is < 0 or > 900)
            throw new AwsException("InvalidParameterValueException",
                "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            fn.Concurrency = fn.Concurrency.Add(new ConcurrencySetting(Time.GetUtcNow(), reserved));
            return reserved;
        }
    }

    /// <summary>Removes the reserved concurrency (the function shares the account's pool again).</summary>
    public void DeleteFunctionConcurrency(string functionName)
    {
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            fn.Concurrency = fn.Concurrency.Add(new ConcurrencySetting(Time.GetUtcNow(), null));
        }
    }

    /// <summary>
    /// Simulates CI uploading a release to <c>$LATEST</c> (UpdateFunctionCode), so the next PublishVersion makes a
    /// new version. <paramref name="release"/> (e.g. <c>1.9.0</c>) defaults to the release after the newest this
    /// function has seen; the same release has the same CodeSha256 in every environment.
    /// </summary>
    public FunctionVersion UploadCode(string functionName, string? release = null)
    {
        if (release is not null && !ReleasePattern().IsMatch(release))
            throw new ArgumentException($"A release looks like 1.9.0, not '{release}'.", nameof(release));
        lock (_gate)
        {
            var fn = RequireFunction(functionName);
            release ??= SandboxGenerator.Release(fn.Versions.Prepend(fn.Latest).Max(v => Minor(v.Release)) + 1);
            fn.Latest = fn.Latest with
            {
                CodeSha256 = SandboxGenerator.CodeSha(fn.Profile.Suffix, release),
                CodeSize = SandboxGenerator.CodeSize(Options.Seed, fn.Profile.Suffix, release),
                Description = SandboxGenerator.ReleaseDescription(fn.Profile.Suffix, release),
                LastModified = SandboxGenerator.Truncate(Time.GetUtcNow()),
                RevisionId = NextRevisionId(fn.Name),
                Release = release,
            };
            return fn.Latest;
        }
    }

    private static int Minor(string release) =>
        release.Split('.') is [_, var minor, _] && int.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;

    [GeneratedRegex(@"^\d{1,4}\.\d{1,4}\.\d{1,4}$")]
    private static partial Regex ReleasePattern();

    private static AwsException PreconditionFailed() =>
        new("PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id", 412);
}
