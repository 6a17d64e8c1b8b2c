using Bot.Sandbox.Account.Lambda;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>Lambda's aliases (GetAlias, UpdateAlias with its RevisionId precondition) and reserved concurrency.</summary>
internal sealed partial class LambdaService
{
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

    private object DeleteConcurrency(LambdaFunction fn)
    {
        account.DeleteFunctionConcurrency(fn.Name);
        return new object();
    }

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
}
