namespace Bot.Sandbox.Account.Alarms;

/// <summary>A CloudWatch metric alarm as configured.</summary>
public sealed record AlarmDefinition(
    string Name,
    string Arn,
    string Description,
    string Namespace,
    string MetricName,
    IReadOnlyList<KeyValuePair<string, string>> Dimensions,
    string Statistic,
    int Period,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    double Threshold,
    string ComparisonOperator,
    string TreatMissingData,
    IReadOnlyList<string> AlarmActions,
    IReadOnlyList<string> OkActions,
    DateTimeOffset ConfigurationUpdated)
{
    public bool Breaches(double value) => ComparisonOperator switch
    {
        "GreaterThanThreshold" => value > Threshold,
        "GreaterThanOrEqualToThreshold" => value >= Threshold,
        "LessThanThreshold" => value < Threshold,
        _ => value <= Threshold,
    };

    public string ComparisonPhrase(bool breaching) => (ComparisonOperator, breaching) switch
    {
        ("GreaterThanThreshold", true) => "greater than",
        ("GreaterThanThreshold", false) => "not greater than",
        ("GreaterThanOrEqualToThreshold", true) => "greater than or equal to",
        ("GreaterThanOrEqualToThreshold", false) => "not greater than or equal to",
        ("LessThanThreshold", true) => "less than",
        ("LessThanThreshold", false) => "not less than",
        (_, true) => "less than or equal to",
        _ => "not less than or equal to",
    };
}

/// <summary>An alarm's evaluated state now.</summary>
/// <param name="Datapoints">The evaluated periods, newest first: period start and value (null: no data).</param>
public sealed record AlarmState(
    AlarmDefinition Definition,
    string StateValue,
    DateTimeOffset StateUpdated,
    DateTimeOffset EvaluatedAt,
    string StateReason,
    string StateReasonData,
    IReadOnlyList<(DateTimeOffset Start, double? Value)> Datapoints)
{
    /// <summary>The state changes of the last day (at most), oldest first.</summary>
    public IReadOnlyList<AlarmTransition> Transitions { get; init; } = [];
}

/// <summary>One change of an alarm's state, with the reason CloudWatch would record.</summary>
public sealed record AlarmTransition(DateTimeOffset At, string From, string To, string Reason, string ReasonData);
