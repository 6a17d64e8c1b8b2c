using System.Text.RegularExpressions;
using Bot.Commands.Cloud;
using Bot.Workflows.Incidents;

namespace Bot.Commands.Incidents;

/// <summary>
/// The ops guide's incident playbooks — Lambda function errors, DynamoDB throttling, API Gateway 5xx — with their
/// resolution steps, and the matching of an incident to one of them by the configured rules. The function, table or API
/// concerned is the first configured SecureBase resource the incident's title (or else its service) names.
/// </summary>
public static class IncidentPlaybooks
{
    public const string LambdaErrors = "lambda-errors";
    public const string DynamoDbThrottling = "dynamodb-throttling";
    public const string Api5xx = "api-5xx";

    public static readonly IReadOnlyList<string> Names = [LambdaErrors, DynamoDbThrottling, Api5xx];

    private static readonly IReadOnlyDictionary<string, (string Title, string[] Steps)> Catalog = new Dictionary<string, (string, string[])>
    {
        [LambdaErrors] = ("Lambda function errors",
        [
            "Read the function's newest ERROR lines (below): which call fails, and with which error type.",
            "Compare Errors with Invocations and Throttles over the last hour: a step at one moment points at a deploy or a dependency.",
            "If a deploy of the function went out shortly before the errors began, roll the PROD alias back to the previous version (the button below) and watch the errors fall.",
            "Check its dependencies: DynamoDB throttling (/sb metrics <table>), downstream APIs, expired secrets in its configuration (/sb config).",
            "Check timeouts and memory: Duration near the timeout or out-of-memory errors need a configuration change.",
            "When the errors are back to their baseline, resolve the incident and note the cause for the postmortem.",
        ]),
        [DynamoDbThrottling] = ("DynamoDB throttling",
        [
            "Confirm the throttling: the table's ReadThrottleEvents, WriteThrottleEvents and UserErrors (below).",
            "Find what drives the traffic: a hot partition key, a batch job, or a retry storm from a failing function (/sb logs).",
            "For a provisioned table raise the capacity or the auto-scaling limits; for a sudden spike consider on-demand capacity.",
            "Make sure the callers retry with exponential backoff and jitter instead of hammering the table.",
            "When throttles stay at zero for 15 minutes, resolve the incident and note the cause.",
        ]),
        [Api5xx] = ("API Gateway 5xx",
        [
            "Check the 5XXError rate against the request count (below): 502/504 point at the backend functions, 500 at the integration.",
            "Read the ERROR lines of the functions behind the API (below, and /sb logs) and their throttles.",
            "If a deploy of the API or of a function preceded the errors, roll it back.",
            "Check the integration timeout (29 s) against the functions' Duration.",
            "When 5xx is back to its baseline, resolve the incident and note the cause.",
        ]),
    };

    /// <summary>The playbook the first matching rule names, with the resource the incident names; null when no rule matches.</summary>
    public static PlaybookRef? Match(IReadOnlyList<PlaybookRule> rules, SecureBaseOptions environments, string title, string? service)
    {
        var rule = rules.FirstOrDefault(r => Matches(r.Service, service) && Matches(r.Title, title) && Catalog.ContainsKey(r.Playbook));
        if (rule is null) return null;
        var (playbookTitle, steps) = Catalog[rule.Playbook];
        var (env, function, table, api) = Target(environments, rule.Playbook, $"{title} {service}");
        return new PlaybookRef(rule.Playbook, playbookTitle, steps, env, function, table, api);
    }

    private static bool Matches(string? pattern, string? text) =>
        string.IsNullOrWhiteSpace(pattern) || Regex.IsMatch(text ?? "", pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>The longest configured resource name the text contains, of the kind the playbook looks at.</summary>
    private static (string Env, string? Function, string? Table, string? Api) Target(SecureBaseOptions options, string playbook, string text)
    {
        var candidates = options.Environments.Values.SelectMany(e =>
                e.Functions.Select(n => (Env: e.Name, Name: n, Kind: "function"))
                    .Concat(e.Tables.Select(n => (Env: e.Name, Name: n, Kind: "table")))
                    .Concat(e.ApiNames.Select(n => (Env: e.Name, Name: n, Kind: "api"))))
            .Where(c => Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(c.Name)}(?![\w-])", RegexOptions.IgnoreCase))
            .OrderByDescending(c => c.Name.Length)
            .ToList();
        var wanted = playbook switch { LambdaErrors => "function", DynamoDbThrottling => "table", _ => "api" };
        var found = candidates.FirstOrDefault(c => c.Kind == wanted);
        if (found.Name is null) return (options.DefaultEnvironment, null, null, null);
        return wanted switch
        {
            "function" => (found.Env, found.Name, null, null),
            "table" => (found.Env, null, found.Name, null),
            _ => (found.Env, null, null, found.Name),
        };
    }
}
