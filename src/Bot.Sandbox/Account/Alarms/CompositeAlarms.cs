using System.Globalization;
using System.Text.Json;

namespace Bot.Sandbox.Account.Alarms;

/// <summary>A CloudWatch composite alarm as configured: a rule over other alarms (here, any of them in ALARM).</summary>
public sealed record CompositeAlarmDefinition(
    string Name,
    string Arn,
    string Description,
    IReadOnlyList<AlarmDefinition> Children,
    IReadOnlyList<string> AlarmActions,
    IReadOnlyList<string> OkActions,
    DateTimeOffset ConfigurationUpdated)
{
    /// <summary>The rule as CloudWatch keeps it: <c>ALARM("a") OR ALARM("b")</c>.</summary>
    public string AlarmRule => string.Join(" OR ", Children.Select(c => $"ALARM(\"{c.Name}\")"));
}

/// <summary>A composite alarm's state now, from its children's.</summary>
public sealed record CompositeAlarmState(CompositeAlarmDefinition Definition, string StateValue, DateTimeOffset StateUpdated, string StateReason, string StateReasonData);

/// <summary>
/// The account's composite alarms, two in prod: the API (its 5xx or latency alarm) and the functions (any function's
/// errors or throttles alarm). Each is in ALARM while any child is, since the child that took it there; otherwise OK
/// since the last child's change. The reason names the child as CloudWatch does (its ARN, "transitioned to … at …").
/// </summary>
public static class CompositeAlarms
{
    public static IReadOnlyList<CompositeAlarmDefinition> Build(SandboxAccount account, IReadOnlyList<AlarmDefinition> metricAlarms)
    {
        if (!account.Environments.Contains("prod")) return [];
        var region = account.Options.Region;
        var acct = account.Options.AccountId;
        var configured = account.Created.AddDays(-30).AddHours(-2);
        string Arn(string name) => $"arn:aws:cloudwatch:{region}:{acct}:alarm:{name}";
        var topic = $"arn:aws:sns:{region}:{acct}:securebase-prod-alerts";
        IReadOnlyList<string> actions = [topic, $"arn:aws:sns:{region}:{acct}:securebase-prod-pagerduty"];
        var api = SecureBaseCatalog.ApiName("prod");
        var functions = account.Functions.Where(f => f.Environment == "prod").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return
        [
            new CompositeAlarmDefinition($"{api}-health", Arn($"{api}-health"), $"{api} is failing or slow (its 5xx or latency alarm)",
                metricAlarms.Where(a => a.Name == $"{api}-5xx" || a.Name == $"{api}-latency").ToList(), actions, [topic], configured),
            new CompositeAlarmDefinition("securebase-prod-functions-health", Arn("securebase-prod-functions-health"), "A prod function errs or is throttled",
                metricAlarms.Where(a => a.Namespace == "AWS/Lambda" && a.Dimensions.Any(d => d.Key == "FunctionName" && functions.Contains(d.Value))).ToList(),
                actions, [topic], configured),
        ];
    }

    public static CompositeAlarmState Evaluate(CompositeAlarmDefinition alarm, Func<AlarmDefinition, AlarmState> evaluate)
    {
        var children = alarm.Children.Select(evaluate).ToList();
        var firing = children.Where(c => c.StateValue == "ALARM").OrderBy(c => c.StateUpdated).ToList();
        // In ALARM since the first firing child went there; OK since the last child changed.
        var cause = firing.Count > 0 ? firing[0] : children.OrderByDescending(c => c.StateUpdated).First();
        var state = firing.Count > 0 ? "ALARM" : "OK";
        var at = cause.StateUpdated.UtcDateTime;
        var reason = $"{cause.Definition.Arn} transitioned to {cause.StateValue} at " +
                     at.ToString("dddd dd MMMM, yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        var data = JsonSerializer.Serialize(new
        {
            triggeringAlarms = (firing.Count > 0 ? firing : [cause]).Select(c => new
            {
                arn = c.Definition.Arn,
                state = new { value = c.StateValue, timestamp = c.StateUpdated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture) },
            }).ToList(),
        }, Protocols.SandboxJson.Plain);
        return new CompositeAlarmState(alarm, state, cause.StateUpdated, reason, data);
    }
}
