using System.Globalization;
using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Faults;

namespace Bot.Sandbox.PagerDuty;

/// <summary>A rehearsal that was started: the fault that breaks the account, and the incident it paged.</summary>
public sealed record PagedScenario(string Scenario, Fault Fault, SandboxIncidentView Incident);

/// <summary>
/// Rehearsals of the ops guide's playbooks: break something with the fault model, then page PagerDuty about
/// it the way a monitoring integration would, through the Events API path (same validation and dedup key),
/// so the incident escalates on PagerDuty's clock and is delivered as webhooks.
/// </summary>
public static class PagerDutyScenarios
{
    public const string LambdaErrors = "lambda-errors";
    public const string DynamoDbThrottling = "dynamodb-throttling";
    public const string Api5xx = "api-5xx";

    public static readonly IReadOnlyList<string> Names = [LambdaErrors, DynamoDbThrottling, Api5xx];

    /// <summary>Breaks <paramref name="target"/> (or the scenario's usual victim in prod) and pages.</summary>
    public static PagedScenario Page(SandboxAccount account, string scenario, string? target = null, double? rate = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var (fault, service, summary, source, component) = scenario switch
        {
            LambdaErrors => Break(account.Faults.FunctionErrors(target ?? "securebase-prod-user-management", rate ?? 0.5), PagerDutyDirectory.LambdaService,
                f => $"Lambda function errors: {((FunctionErrorFault)f).Function} is failing {Percent(((FunctionErrorFault)f).Rate)} of invocations", f => ((FunctionErrorFault)f).Function, "lambda"),
            DynamoDbThrottling => Break(account.Faults.TableThrottles(target ?? "securebase-prod-activity-feed", rate ?? 0.2), PagerDutyDirectory.DynamoDbService,
                f => $"DynamoDB throttling: {((TableThrottleFault)f).Table} is throttling {Percent(((TableThrottleFault)f).Rate)} of requests", f => ((TableThrottleFault)f).Table, "dynamodb"),
            Api5xx => Break(account.Faults.ApiErrors(target ?? "securebase-prod-api", rate ?? 0.1), PagerDutyDirectory.ApiService,
                f => $"API Gateway 5xx: {((ApiErrorFault)f).Api} is answering {Percent(((ApiErrorFault)f).Rate)} of requests with 5xx", f => ((ApiErrorFault)f).Api, "apigateway"),
            _ => throw new ArgumentException($"Unknown incident scenario '{scenario}'. Scenarios: {string.Join(", ", Names)}.", nameof(scenario)),
        };

        var routing = PagerDutyDirectory.ServiceByName(service)!.RoutingKey;
        var dedupKey = $"{scenario}/{source}";
        var body = JsonSerializer.SerializeToElement(new
        {
            routing_key = routing,
            event_action = "trigger",
            dedup_key = dedupKey,
            payload = new { summary, source, severity = "critical", component, group = "securebase-prod", @class = scenario },
            client = "SecureBase sandbox monitoring",
        });
        var answer = account.PagerDuty.Enqueue(body);
        if (answer.Status != 202) throw new InvalidOperationException($"The sandbox Events API refused the page ({answer.Status}).");
        var incident = account.PagerDuty.Incidents.Last(i => i.IncidentKey == dedupKey && i.Status != "resolved");
        return new PagedScenario(scenario, fault, incident);
    }

    private static (Fault, string, string, string, string) Break(Fault fault, string service, Func<Fault, string> summary, Func<Fault, string> source, string component) =>
        (fault, service, summary(fault), source(fault), component);

    private static string Percent(double rate) => rate.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);
}
