using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Protocols;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Services;

/// <summary>A Lambda REST route matched from method and path.</summary>
internal sealed record LambdaRoute(string Operation, string FunctionName, string? Qualifier, string? Alias);

/// <summary>
/// Lambda (REST-JSON): GetFunction, GetFunctionConfiguration, ListFunctions, ListVersionsByFunction,
/// PublishVersion, ListAliases, GetAlias, UpdateAlias, UpdateFunctionConfiguration, GetFunctionConcurrency,
/// PutFunctionConcurrency, DeleteFunctionConcurrency, Get/Put/DeleteProvisionedConcurrencyConfig and Invoke,
/// on the URIs of the service model. Function names may be plain names, partial ARNs or full ARNs, with a qualifier where allowed.
/// </summary>
internal sealed partial class LambdaService(SandboxAccount account)
{
    /// <summary>Matches a request to an operation; null when no Lambda route has that method and path.</summary>
    public LambdaRoute? Match(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        if (segments.Length == 2 && segments[0] == "2015-03-31" && segments[1] == "functions" && method == "GET")
            return new LambdaRoute("ListFunctions", "", null, null);
        if (segments.Length < 3 || segments[1] != "functions") return null;
        string name;
        try
        {
            name = Uri.UnescapeDataString(segments[2]);
        }
        catch (UriFormatException)
        {
            return null;
        }
        var rest = segments.Length > 3 ? string.Join('/', segments[3..]) : "";
        var operation = (segments[0], method, rest) switch
        {
            ("2015-03-31", "GET", "") => "GetFunction",
            ("2015-03-31", "GET", "versions") => "ListVersionsByFunction",
            ("2015-03-31", "POST", "versions") => "PublishVersion",
            ("2015-03-31", "PUT", "configuration") => "UpdateFunctionConfiguration",
            ("2015-03-31", "GET", "configuration") => "GetFunctionConfiguration",
            ("2015-03-31", "GET", "aliases") => "ListAliases",
            ("2015-03-31", "POST", "invocations") => "Invoke",
            ("2015-03-31", "GET", var r) when r.StartsWith("aliases/", StringComparison.Ordinal) && segments.Length == 5 => "GetAlias",
            ("2015-03-31", "PUT", var r) when r.StartsWith("aliases/", StringComparison.Ordinal) && segments.Length == 5 => "UpdateAlias",
            ("2019-09-30", "GET", "concurrency") => "GetFunctionConcurrency",
            ("2017-10-31", "PUT", "concurrency") => "PutFunctionConcurrency",
            ("2017-10-31", "DELETE", "concurrency") => "DeleteFunctionConcurrency",
            ("2019-09-30", "GET", "provisioned-concurrency") => "GetProvisionedConcurrencyConfig",
            ("2019-09-30", "PUT", "provisioned-concurrency") => "PutProvisionedConcurrencyConfig",
            ("2019-09-30", "DELETE", "provisioned-concurrency") => "DeleteProvisionedConcurrencyConfig",
            _ => null,
        };
        if (operation is null) return null;
        var alias = operation is "GetAlias" or "UpdateAlias" ? Uri.UnescapeDataString(segments[4]) : null;
        return new LambdaRoute(operation, name, null, alias);
    }

    public (int Status, object Body) Invoke(LambdaRoute route, IQueryCollection query, Func<JsonInput> body)
    {
        if (route.Operation == "ListFunctions") return (200, ListFunctions(query));
        var allowQualifier = route.Operation is "GetFunction" or "GetFunctionConfiguration";
        var (name, qualifier) = ParseName(route.FunctionName, allowQualifier);
        var fn = account.RequireFunction(name);
        return route.Operation switch
        {
            "GetFunction" => (200, GetFunction(fn, query["Qualifier"].FirstOrDefault() ?? qualifier)),
            "GetFunctionConfiguration" => (200, GetFunctionConfiguration(fn, query["Qualifier"].FirstOrDefault() ?? qualifier)),
            "ListAliases" => (200, ListAliases(fn, query)),
            "ListVersionsByFunction" => (200, ListVersions(fn, query)),
            "PublishVersion" => (201, PublishVersion(fn, body())),
            "UpdateFunctionConfiguration" => (200, UpdateConfiguration(fn, body())),
            "GetAlias" => (200, Alias(fn, GetAlias(fn, route.Alias!))),
            "UpdateAlias" => (200, UpdateAlias(fn, route.Alias!, body())),
            "GetFunctionConcurrency" => (200, GetConcurrency(fn)),
            "DeleteFunctionConcurrency" => (204, DeleteConcurrency(fn)),
            "GetProvisionedConcurrencyConfig" => (200, Provisioned(account.GetProvisionedConcurrency(fn.Name, query["Qualifier"].FirstOrDefault()))),
            "PutProvisionedConcurrencyConfig" => (202, PutProvisioned(fn, query["Qualifier"].FirstOrDefault(), body())),
            "DeleteProvisionedConcurrencyConfig" => (204, DeleteProvisioned(fn, query["Qualifier"].FirstOrDefault())),
            _ => (200, PutConcurrency(fn, body())),
        };
    }

    private (FunctionVersion Version, string? ArnQualifier) Resolve(LambdaFunction fn, string? qualifier)
    {
        if (qualifier is null or "$LATEST") return (fn.Latest, null);
        if (fn.Aliases.TryGetValue(qualifier, out var alias)) return (fn.Version(alias.Current.Version)!, qualifier);
        return (fn.Version(qualifier) ?? throw new AwsException("ResourceNotFoundException", $"Function not found: {account.FunctionArn(fn.Name, qualifier)}", 404), qualifier);
    }

    private object GetFunctionConfiguration(LambdaFunction fn, string? qualifier)
    {
        var (version, arnQualifier) = Resolve(fn, qualifier);
        return Configuration(fn, version, arnQualifier);
    }

    private object ListFunctions(IQueryCollection query)
    {
        var functions = account.Functions.ToList();
        var (offset, max) = Page(query, functions.Count, i => functions[i].Name);
        var page = functions.Skip(offset).Take(max).ToList();
        return new
        {
            NextMarker = offset + page.Count < functions.Count ? MarkerText(functions[offset + page.Count].Name) : null,
            Functions = page.Select(f => Configuration(f, f.Latest, null)).ToList(),
        };
    }

    private object ListAliases(LambdaFunction fn, IQueryCollection query)
    {
        var version = query["FunctionVersion"].FirstOrDefault();
        var aliases = fn.Aliases.Values.Where(a => version is null || a.Current.Version == version).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var (offset, max) = Page(query, aliases.Count, i => aliases[i].Name);
        var page = aliases.Skip(offset).Take(max).ToList();
        return new
        {
            NextMarker = offset + page.Count < aliases.Count ? MarkerText(aliases[offset + page.Count].Name) : null,
            Aliases = page.Select(a => Alias(fn, a)).ToList(),
        };
    }

    /// <summary>Reads MaxItems and Marker (an opaque token naming the first item of the page).</summary>
    private static (int Offset, int Max) Page(IQueryCollection query, int count, Func<int, string> keyAt)
    {
        var maxText = query["MaxItems"].FirstOrDefault();
        var max = 50;
        if (maxText is not null && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 10000))
            throw new AwsException("InvalidParameterValueException", $"1 validation error detected: Value '{maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000");
        if (query["Marker"].FirstOrDefault() is not { } marker) return (0, max);
        for (var i = 0; i < count; i++)
            if (MarkerText(keyAt(i)) == marker) return (i, max);
        throw new AwsException("InvalidParameterValueException", "The marker is not valid.");
    }

    private static string MarkerText(string key) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("m:" + key));

    private object GetFunction(LambdaFunction fn, string? qualifier)
    {
        var (version, arnQualifier) = Resolve(fn, qualifier);
        return new
        {
            Configuration = Configuration(fn, version, arnQualifier),
            Code = new
            {
                RepositoryType = "S3",
                Location = CodeLocation(fn, version),
            },
            Tags = fn.Tags,
            Concurrency = fn.ReservedConcurrency is { } r ? new { ReservedConcurrentExecutions = r } : null,
        };
    }

    /// <summary>A presigned S3 URL shaped like Lambda's (with a temporary credential and signature the bot must not print).</summary>
    private string CodeLocation(LambdaFunction fn, FunctionVersion version)
    {
        var region = account.Options.Region;
        var now = account.Time.GetUtcNow().UtcDateTime;
        var seed = account.Options.Seed;
        var keyId = "ASIA" + Deterministic.Guid(seed, "s3-presign-key").ToString("N")[..16].ToUpperInvariant();
        var signature = Deterministic.Guid(seed, "s3-presign-sig:" + version.CodeSha256).ToString("N") + Deterministic.Guid(seed, "s3-presign-sig2:" + version.CodeSha256).ToString("N");
        return $"https://awslambda-{region}-tasks.s3.{region}.amazonaws.com/snapshots/{account.Options.AccountId}/{fn.Name}-{Deterministic.Guid(seed, version.CodeSha256)}" +
               $"?versionId=sandbox&X-Amz-Security-Token=IQoJb3JpZ2luX2VjE{Deterministic.Guid(seed, "s3-presign-token").ToString("N")}" +
               $"&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={now:yyyyMMdd'T'HHmmss'Z'}&X-Amz-SignedHeaders=host&X-Amz-Expires=600" +
               $"&X-Amz-Credential={keyId}%2F{now:yyyyMMdd}%2F{region}%2Fs3%2Faws4_request&X-Amz-Signature={signature}";
    }

    private object ListVersions(LambdaFunction fn, IQueryCollection query)
    {
        var all = new List<FunctionVersion> { fn.Latest };
        all.AddRange(fn.Versions);
        var (offset, max) = Page(query, all.Count, i => fn.Name + ":" + all[i].Version);
        var page = all.Skip(offset).Take(max).ToList();
        return new
        {
            NextMarker = offset + page.Count < all.Count ? MarkerText(fn.Name + ":" + all[offset + page.Count].Version) : null,
            Versions = page.Select(v => Configuration(fn, v, v.Version == "$LATEST" ? null : v.Version)).ToList(),
        };
    }

    private object PublishVersion(LambdaFunction fn, JsonInput body)
    {
        var description = body.String("Description");
        if (description is { Length: > 256 })
            throw new AwsException("InvalidParameterValueException", "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256");
        var version = account.PublishVersion(fn.Name, body.String("CodeSha256"), description, body.String("RevisionId"));
        return Configuration(fn, version, version.Version);
    }

    private object UpdateConfiguration(LambdaFunction fn, JsonInput body)
    {
        IReadOnlyDictionary<string, string>? variables = null;
        if (body.Object("Environment") is { } env) variables = env.StringMap("Variables");
        var latest = account.UpdateFunctionConfiguration(fn.Name, new FunctionConfigurationChange(
            Description: body.String("Description"),
            Runtime: body.String("Runtime"),
            Handler: body.String("Handler"),
            Role: body.String("Role"),
            MemorySize: body.Int("MemorySize"),
            Timeout: body.Int("Timeout"),
            Environment: variables,
            RevisionId: body.String("RevisionId")));
        return Configuration(fn, latest, null);
    }

    private object Configuration(LambdaFunction fn, FunctionVersion v, string? arnQualifier) => new
    {
        FunctionName = fn.Name,
        FunctionArn = account.FunctionArn(fn.Name, arnQualifier),
        Runtime = v.Runtime,
        Role = v.Role,
        Handler = v.Handler,
        CodeSize = v.CodeSize,
        Description = v.Description,
        Timeout = v.Timeout,
        MemorySize = v.MemorySize,
        LastModified = v.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
        CodeSha256 = v.CodeSha256,
        Version = v.Version,
        Environment = new { Variables = v.Environment },
        TracingConfig = new { Mode = "Active" },
        RevisionId = v.RevisionId,
        State = "Active",
        LastUpdateStatus = account.LastUpdateStatus(fn, v),
        PackageType = "Zip",
        Architectures = new[] { "arm64" },
        EphemeralStorage = new { Size = 512 },
        LoggingConfig = new { LogFormat = "Text", LogGroup = SecureBaseCatalog.LogGroupName(fn.Name) },
    };

    /// <summary>Splits <c>name</c>, <c>name:qualifier</c>, <c>123456789012:function:name[:q]</c> or a full ARN.</summary>
    private (string Name, string? Qualifier) ParseName(string text, bool allowQualifier)
    {
        var m = FunctionNamePattern().Match(text);
        if (!m.Success || text.Length > 170)
            throw new AwsException("InvalidParameterValueException",
                $"1 validation error detected: Value '{text}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
        if (m.Groups["region"].Success && m.Groups["region"].Value != account.Options.Region + ":" ||
            m.Groups["account"].Success && m.Groups["account"].Value != account.Options.AccountId + ":")
            throw new AwsException("ResourceNotFoundException", $"Function not found: {text}", 404);
        var qualifier = m.Groups["qualifier"].Success ? m.Groups["qualifier"].Value : null;
        if (qualifier is not null && !allowQualifier)
            throw new AwsException("InvalidParameterValueException", "Qualifiers are not allowed in the function name of this operation.");
        return (m.Groups["name"].Value, qualifier);
    }

    [GeneratedRegex(@"^(arn:aws[a-zA-Z-]*:lambda:)?(?<region>[a-z]{2}(-gov)?-[a-z]+-\d:)?(?<account>\d{12}:)?(function:)?(?<name>[a-zA-Z0-9\-_\.]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9\-_]+))?$")]
    private static partial Regex FunctionNamePattern();

    [GeneratedRegex(@"^(\$LATEST|[0-9]+)$")]
    private static partial Regex VersionPattern();
}
