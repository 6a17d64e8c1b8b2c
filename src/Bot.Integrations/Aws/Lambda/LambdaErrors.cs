using System.Text.RegularExpressions;

namespace Bot.Integrations.Aws.Lambda;

/// <summary>What a Lambda ResourceNotFoundException is about: the function itself, one of its versions, or an alias.</summary>
public enum LambdaMissingKind
{
    Function,
    Version,
    Alias,
    ProvisionedConcurrency,
}

/// <summary>The missing resource named in a Lambda error: the function and, for a version or alias, its qualifier.</summary>
public sealed record LambdaMissing(LambdaMissingKind Kind, string Function, string? Qualifier);

/// <summary>
/// Lambda's errors in words, for the messages of changes and commands: which function, version or alias does not
/// exist (read from the ARN in Lambda's message), a RevisionId that no longer matches, an update still in progress,
/// throttling, a denied action, a rejected parameter.
/// </summary>
public static partial class LambdaErrors
{
    /// <summary>The missing resource, for a not-found error; null for any other error.</summary>
    public static LambdaMissing? Missing(AwsServiceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Kind != AwsErrorKind.NotFound) return null;
        if (error.Code == "ProvisionedConcurrencyConfigNotFoundException")
            return new LambdaMissing(LambdaMissingKind.ProvisionedConcurrency, "", null);
        var m = NotFoundMessage().Match(error.AwsMessage);
        if (!m.Success) return new LambdaMissing(LambdaMissingKind.Function, "", null);
        var function = m.Groups["function"].Value;
        if (!m.Groups["qualifier"].Success) return new LambdaMissing(LambdaMissingKind.Function, function, null);
        var qualifier = m.Groups["qualifier"].Value;
        var isVersion = qualifier == "$LATEST" || qualifier.All(char.IsAsciiDigit);
        return new LambdaMissing(m.Groups["what"].Value == "Alias" || !isVersion ? LambdaMissingKind.Alias : LambdaMissingKind.Version, function, qualifier);
    }

    /// <summary>
    /// A sentence fragment saying what went wrong, e.g. "`securebase-prod-user-management` has no version 9". Text
    /// from AWS is included as it came: escape it before it goes to Slack.
    /// </summary>
    public static string Explain(AwsServiceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            AwsErrorKind.NotFound => Missing(error) switch
            {
                { Kind: LambdaMissingKind.Version } m => $"`{m.Function}` has no version {m.Qualifier}",
                { Kind: LambdaMissingKind.Alias } m => $"`{m.Function}` has no alias `{m.Qualifier}`",
                { Kind: LambdaMissingKind.ProvisionedConcurrency } => "there is no provisioned concurrency configured there",
                { Function.Length: > 0 } m => $"there is no function `{m.Function}`",
                _ => $"Lambda could not find it ({error.AwsMessage})",
            },
            AwsErrorKind.PreconditionFailed => "it changed since it was read (its RevisionId no longer matches), so Lambda changed nothing",
            AwsErrorKind.Conflict => "an earlier update of the function is still in progress",
            AwsErrorKind.Throttled => error.Reason is { Length: > 0 } reason ? $"Lambda is throttling ({reason})" : "Lambda is throttling the bot's calls",
            AwsErrorKind.AccessDenied => $"the bot's IAM role may not call {error.IamAction ?? "this Lambda action"}",
            AwsErrorKind.ExpiredCredentials => "the bot's AWS credentials have expired",
            AwsErrorKind.InvalidCredentials => "AWS did not accept the bot's credentials",
            AwsErrorKind.InvalidRequest => $"Lambda rejected the request ({error.Code}: {error.AwsMessage})",
            AwsErrorKind.ServiceUnavailable => $"Lambda failed on its side ({error.Code})",
            _ => $"Lambda answered {error.Code}: {error.AwsMessage}",
        };
    }

    [GeneratedRegex(@"^(?<what>Function|Alias) not found: arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:(?<function>[a-zA-Z0-9_\-\.]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9_\-]+))?")]
    private static partial Regex NotFoundMessage();
}
