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
/// Lambda (REST-JSON): GetFunction, ListVersionsByFunction, PublishVersion, GetAlias, UpdateAlias,
/// UpdateFunctionConfiguration, GetFunctionConcurrency and PutFunctionConcurrency, on the URIs of the service
/// model. Function names may be plain names, partial ARNs or full ARNs, with a qualifier where allowed.
/// </summary>
internal sealed partial class LambdaService(SandboxAccount account)
{
    /// <summary>Matches a request to an operation; null when no Lambda route has that method and path.</summary>
    public LambdaRoute? Match(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
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
            ("2015-03-31", "GET", var r) when r.StartsWith("aliases/", StringComparison.Ordinal) && segments.Length == 5 => "GetAlias",
            ("2015-03-31", "PUT", var r) when r.StartsWith("aliases/", StringComparison.Ordinal) && segments.Length == 5 => "UpdateAlias",
            ("2019-09-30", "GET", "concurrency") => "GetFunctionConcurrency",
            ("2017-10-31", "PUT", "concurrency") => "PutFunctionConcurrency",
            _ => null,
        };
        if (operation is null) return null;
        var alias = operation is "GetAlias" or "UpdateAlias" ? Uri.UnescapeDataString(segments[4]) : null;
        return new LambdaRoute(operation, name, null, alias);
    }

    public (int Status, object Body) Invoke(LambdaRoute route, IQueryCollection query, Func<JsonInput> body)
    {
        var allowQualifier = route.Operation == "GetFunction";
        var (name, qualifier) = ParseName(route.FunctionName, allowQualifier);
        var fn = account.RequireFunction(name);
        return route.Operation switch
        {
            "GetFunction" => (200, GetFunction(fn, query["Qualifier"].FirstOrDefault() ?? qualifier)),
            "ListVersionsByFunction" => (200, ListVersions(fn, query)),
            "PublishVersion" => (201, PublishVersion(fn, body())),
            "UpdateFunctionConfiguration" => (200, UpdateConfiguration(fn, body())),
            "GetAlias" => (200, Alias(fn, GetAlias(fn, route.Alias!))),
            "UpdateAlias" => (200, UpdateAlias(fn, route.Alias!, body())),
            "GetFunctionConcurrency" => (200, GetConcurrency(fn)),
            _ => (200, PutConcurrency(fn, body())),
        };
    }

    private object GetFunction(LambdaFunction fn, string? qualifier)
    {
        FunctionVersion version;
        string? arnQualifier = null;
        if (qualifier is null or "$LATEST") version = fn.Latest;
        else if (fn.Aliases.TryGetValue(qualifier, out var alias))
        {
            version = fn.Version(alias.Current.Version)!;
            arnQualifier = qualifier;
        }
        else
        {
            version = fn.Version(qualifier) ?? throw new AwsException("ResourceNotFoundException", $"Function not found: {account.FunctionArn(fn.Name, qualifier)}", 404);
            arnQualifier = qualifier;
        }
        return new
        {
            Configuration = Configuration(fn, version, arnQualifier),
            Code = new
            {
                RepositoryType = "S3",
                Location = $"https://awslambda-{account.Options.Region}-tasks.s3.{account.Options.Region}.amazonaws.com/snapshots/{account.Options.AccountId}/{fn.Name}-{Deterministic.Guid(account.Options.Seed, version.CodeSha256)}?versionId=sandbox",
            },
            Tags = fn.Tags,
            Concurrency = fn.ReservedConcurrency is { } r ? new { ReservedConcurrentExecutions = r } : null,
        };
    }

    private object ListVersions(LambdaFunction fn, IQueryCollection query)
    {
        var maxText = query["MaxItems"].FirstOrDefault();
        var max = 50;
        if (maxText is not null && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 10000))
            throw new AwsException("InvalidParameterValueException", $"1 validation error detected: Value '{maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000");
        var all = new List<FunctionVersion> { fn.Latest };
        all.AddRange(fn.Versions);
        var offset = 0;
        if (query["Marker"].FirstOrDefault() is { } marker)
        {
            var index = all.FindIndex(v => MarkerOf(fn, v) == marker);
            if (index < 0) throw new AwsException("InvalidParameterValueException", "The marker is not valid.");
            offset = index;
        }
        var page = all.Skip(offset).Take(max).ToList();
        return new
        {
            NextMarker = offset + page.Count < all.Count ? MarkerOf(fn, all[offset + page.Count]) : null,
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

    private LambdaAlias GetAlias(LambdaFunction fn, string name) =>
        fn.Aliases.TryGetValue(name, out var alias) ? alias
            : throw new AwsException("ResourceNotFoundException", $"Alias not found: {account.FunctionArn(fn.Name, name)}", 404);

    private object UpdateAlias(LambdaFunction fn, string name, JsonInput body)
    {
        IReadOnlyDictionary<string, double>? weights = null;
        if (body.Object("RoutingConfig") is { } routing) weights = routing.NumberMap("AdditionalVersionWeights");
        var version = body.String("FunctionVersion");
        if (version is not null && !VersionPattern().IsMatch(version))
            throw new AwsException("InvalidParameterValueException", $"1 validation error detected: Value '{version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
        var alias = account.UpdateAlias(fn.Name, name, version, body.String("Description"), weights, body.String("RevisionId"));
        return Alias(fn, alias);
    }

    private static object GetConcurrency(LambdaFunction fn) =>
        fn.ReservedConcurrency is { } r ? new { ReservedConcurrentExecutions = r } : new object();

    private object PutConcurrency(LambdaFunction fn, JsonInput body)
    {
        var reserved = body.Int("ReservedConcurrentExecutions")
            ?? throw new AwsException("InvalidParameterValueException", "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null");
        return new { ReservedConcurrentExecutions = account.PutFunctionConcurrency(fn.Name, reserved) };
    }

    private object Alias(LambdaFunction fn, LambdaAlias alias)
    {
        var current = alias.Current;
        return new
        {
            AliasArn = account.FunctionArn(fn.Name, alias.Name),
            Name = alias.Name,
            FunctionVersion = current.Version,
            Description = alias.Description,
            RoutingConfig = current.AdditionalVersion is { } extra
                ? new { AdditionalVersionWeights = new Dictionary<string, double> { [extra] = current.AdditionalWeight } }
                : null,
            RevisionId = alias.RevisionId,
        };
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
        LastUpdateStatus = "Successful",
        PackageType = "Zip",
        Architectures = new[] { "arm64" },
        EphemeralStorage = new { Size = 512 },
        LoggingConfig = new { LogFormat = "Text", LogGroup = SecureBaseCatalog.LogGroupName(fn.Name) },
    };

    private static string MarkerOf(LambdaFunction fn, FunctionVersion v) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{fn.Name}:{v.Version}"));

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
