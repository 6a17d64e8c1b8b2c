namespace Bot.Sandbox.Account.Logs;

/// <summary>One log event; times in milliseconds since the epoch, as CloudWatch Logs reports them.</summary>
public sealed record LogEvent(string LogGroupName, string LogStreamName, long Timestamp, long IngestionTime, string EventId, string Message);

/// <summary>A log group of the account; <paramref name="RetentionInDays"/> null means its events never expire.</summary>
public sealed record LogGroup(string Name, string FunctionName, long CreationTime, int? RetentionInDays, string Arn);
