namespace Bot.Sandbox.Protocols;

/// <summary>
/// What the AWS query protocol needs to know about a service's members beyond their names: form values are
/// all text, so which input members are numbers or booleans; XML is all text too, so which output members are
/// timestamps (ISO 8601 in XML, epoch seconds in JSON), doubles, or maps. Taken from the service model.
/// </summary>
internal sealed record QueryShapes(
    string ApiVersion,
    string XmlNamespace,
    IReadOnlySet<string> IntegerInputs,
    IReadOnlySet<string> BooleanInputs,
    IReadOnlySet<string> TimestampOutputs,
    IReadOnlySet<string> DoubleOutputs,
    IReadOnlySet<string> MapOutputs)
{
    /// <summary>CloudWatch 2010-08-01: the members of GetMetricData, GetMetricStatistics, DescribeAlarms, DescribeAlarmHistory and the dashboard operations.</summary>
    public static readonly QueryShapes CloudWatch = new(
        "2010-08-01",
        "http://monitoring.amazonaws.com/doc/2010-08-01/",
        IntegerInputs: new HashSet<string>(StringComparer.Ordinal) { "Period", "MaxRecords", "MaxDatapoints" },
        BooleanInputs: new HashSet<string>(StringComparer.Ordinal) { "ReturnData" },
        // Timestamps is a list of timestamps; the others are single ones.
        TimestampOutputs: new HashSet<string>(StringComparer.Ordinal)
        {
            "Timestamp", "Timestamps", "AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp", "StateTransitionedTimestamp", "LastModified",
        },
        // Values is a list of doubles (DatapointValues); ExtendedStatistics is a map of them.
        DoubleOutputs: new HashSet<string>(StringComparer.Ordinal)
        {
            "SampleCount", "Average", "Sum", "Minimum", "Maximum", "Threshold", "Values", "ExtendedStatistics",
        },
        MapOutputs: new HashSet<string>(StringComparer.Ordinal) { "ExtendedStatistics" });
}
