using System.Text.Json;
using Bot.Sandbox.Account.Alarms;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>CloudWatch's alarms: DescribeAlarms (metric and composite, as <c>AlarmTypes</c> asks) and DescribeAlarmHistory.</summary>
internal sealed partial class CloudWatchService
{
    private object DescribeAlarms(JsonInput input)
    {
        var names = input.Strings("AlarmNames");
        var prefix = input.String("AlarmNamePrefix");
        if (names.Count > 0 && prefix is not null)
            throw new AwsException("InvalidParameterCombinationException", "AlarmNames and AlarmNamePrefix cannot both be specified.");
        if (names.Count > 100) throw Invalid("The collection AlarmNames must not have a size greater than 100.");
        var state = input.String("StateValue");
        if (state is not (null or "OK" or "ALARM" or "INSUFFICIENT_DATA"))
            throw Invalid($"The value {state} for parameter StateValue is not valid.");
        var types = input.Strings("AlarmTypes");
        foreach (var t in types)
            if (t is not ("MetricAlarm" or "CompositeAlarm" or "LogAlarm")) throw Invalid($"The value {t} for parameter AlarmTypes is not valid.");
        var max = input.Int("MaxRecords") ?? 50;
        if (max is < 1 or > 100) throw Invalid("The value for parameter MaxRecords must be between 1 and 100.");
        if (input.String("ChildrenOfAlarmName") is not null || input.String("ParentsOfAlarmName") is not null)
            return new { CompositeAlarms = Array.Empty<object>(), MetricAlarms = Array.Empty<object>() };
        var actionPrefix = input.String("ActionPrefix");
        var offset = 0;
        if (input.String("NextToken") is { } token && !TryReadToken(token, "alarms", out offset))
            throw new AwsException("InvalidNextToken", "The service returned an invalid next token.");

        // As AWS: without AlarmTypes, metric alarms only, even when composite alarms exist.
        var wantMetric = types.Count == 0 || types.Contains("MetricAlarm");
        var wantComposite = types.Contains("CompositeAlarm");
        bool Selected(string name, IReadOnlyList<string> alarmActions) =>
            (names.Count == 0 || names.Contains(name))
            && (prefix is null || name.StartsWith(prefix, StringComparison.Ordinal))
            && (actionPrefix is null || alarmActions.Any(x => x.StartsWith(actionPrefix, StringComparison.Ordinal)));
        var states = (!wantMetric ? [] : account.Alarms.Definitions.Where(a => Selected(a.Name, a.AlarmActions)).Select(account.Alarms.Evaluate))
            .Where(s => state is null || s.StateValue == state).ToList();
        var composites = (!wantComposite ? [] : account.Alarms.Composites.Where(a => Selected(a.Name, a.AlarmActions)).Select(account.Alarms.Evaluate))
            .Where(s => state is null || s.StateValue == state).ToList();
        // One page over both lists: metric alarms first, then composite ones.
        var page = states.Skip(offset).Take(max).ToList();
        var compositePage = composites.Skip(Math.Max(0, offset - states.Count)).Take(max - page.Count).ToList();
        var next = offset + page.Count + compositePage.Count;
        return new
        {
            CompositeAlarms = compositePage.Select(Describe).ToList(),
            MetricAlarms = page.Select(Describe).ToList(),
            NextToken = next < states.Count + composites.Count ? MakeToken("alarms", next) : null,
        };
    }

    /// <summary>A composite alarm, its members in the model's <c>xmlOrder</c>.</summary>
    private static object Describe(CompositeAlarmState s)
    {
        var a = s.Definition;
        return new
        {
            ActionsEnabled = true,
            AlarmActions = a.AlarmActions,
            AlarmArn = a.Arn,
            AlarmConfigurationUpdatedTimestamp = SandboxJson.EpochSeconds(a.ConfigurationUpdated),
            AlarmDescription = a.Description,
            AlarmName = a.Name,
            AlarmRule = a.AlarmRule,
            InsufficientDataActions = Array.Empty<string>(),
            OKActions = a.OkActions,
            StateReason = s.StateReason,
            StateReasonData = s.StateReasonData,
            StateUpdatedTimestamp = SandboxJson.EpochSeconds(s.StateUpdated),
            StateValue = s.StateValue,
            StateTransitionedTimestamp = SandboxJson.EpochSeconds(s.StateUpdated),
        };
    }

    /// <summary>An alarm, its members in the model's <c>xmlOrder</c> (the order the query protocol's XML keeps).</summary>
    private static object Describe(AlarmState s)
    {
        var a = s.Definition;
        return new
        {
            AlarmName = a.Name,
            AlarmArn = a.Arn,
            AlarmDescription = a.Description,
            AlarmConfigurationUpdatedTimestamp = SandboxJson.EpochSeconds(a.ConfigurationUpdated),
            ActionsEnabled = true,
            OKActions = a.OkActions,
            AlarmActions = a.AlarmActions,
            InsufficientDataActions = Array.Empty<string>(),
            StateValue = s.StateValue,
            StateReason = s.StateReason,
            StateReasonData = s.StateReasonData,
            StateUpdatedTimestamp = SandboxJson.EpochSeconds(s.StateUpdated),
            MetricName = a.MetricName,
            Namespace = a.Namespace,
            Statistic = a.Statistic,
            Dimensions = a.Dimensions.Select(d => new { Name = d.Key, Value = d.Value }).ToList(),
            Period = a.Period,
            EvaluationPeriods = a.EvaluationPeriods,
            Threshold = a.Threshold,
            ComparisonOperator = a.ComparisonOperator,
            TreatMissingData = a.TreatMissingData,
            DatapointsToAlarm = a.DatapointsToAlarm,
            StateTransitionedTimestamp = SandboxJson.EpochSeconds(s.StateUpdated),
        };
    }

    /// <summary>The state changes of the metric alarms in the last day, newest first by default.</summary>
    private object DescribeAlarmHistory(JsonInput input)
    {
        var name = input.String("AlarmName");
        var type = input.String("HistoryItemType");
        if (type is not (null or "StateUpdate" or "ConfigurationUpdate" or "Action" or "AlarmContributorStateUpdate" or "AlarmContributorAction"))
            throw Invalid($"The value {type} for parameter HistoryItemType is not valid.");
        var types = input.Strings("AlarmTypes");
        var from = input.Timestamp("StartDate") ?? DateTimeOffset.MinValue;
        var to = input.Timestamp("EndDate") ?? DateTimeOffset.MaxValue;
        var max = input.Int("MaxRecords") ?? 100;
        if (max is < 1 or > 100) throw Invalid("The value for parameter MaxRecords must be between 1 and 100.");
        var ascending = (input.String("ScanBy") ?? "TimestampDescending") switch
        {
            "TimestampAscending" => true,
            "TimestampDescending" => false,
            var other => throw Invalid($"The value {other} for parameter ScanBy is not valid."),
        };
        var offset = 0;
        if (input.String("NextToken") is { } token && !TryReadToken(token, "history", out offset))
            throw new AwsException("InvalidNextToken", "The service returned an invalid next token.");

        var wanted = type is null or "StateUpdate" && (types.Count == 0 || types.Contains("MetricAlarm"));
        var items = !wanted ? [] : account.Alarms.Definitions
            .Where(a => name is null || a.Name == name)
            .SelectMany(a => account.Alarms.Evaluate(a).Transitions.Select(t => (Alarm: a, Transition: t)))
            .Where(x => x.Transition.At >= from && x.Transition.At <= to)
            .ToList();
        items = ascending
            ? items.OrderBy(x => x.Transition.At).ThenBy(x => x.Alarm.Name, StringComparer.Ordinal).ToList()
            : items.OrderByDescending(x => x.Transition.At).ThenBy(x => x.Alarm.Name, StringComparer.Ordinal).ToList();
        var page = items.Skip(offset).Take(max).ToList();
        return new
        {
            AlarmHistoryItems = page.Select(x => new
            {
                AlarmName = x.Alarm.Name,
                AlarmType = "MetricAlarm",
                Timestamp = SandboxJson.EpochSeconds(x.Transition.At),
                HistoryItemType = "StateUpdate",
                HistorySummary = $"Alarm updated from {x.Transition.From} to {x.Transition.To}",
                HistoryData = JsonSerializer.Serialize(new
                {
                    version = "1.0",
                    oldState = new { stateValue = x.Transition.From },
                    newState = new
                    {
                        stateValue = x.Transition.To,
                        stateReason = x.Transition.Reason,
                        stateReasonData = JsonDocument.Parse(x.Transition.ReasonData).RootElement,
                    },
                }, SandboxJson.Plain),
            }).ToList(),
            NextToken = offset + page.Count < items.Count ? MakeToken("history", offset + page.Count) : null,
        };
    }
}
