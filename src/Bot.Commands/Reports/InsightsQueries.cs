using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Integrations.Aws.Logs;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports;

/// <summary>One row of a Logs Insights answer: its fields by name.</summary>
public sealed class InsightsRow(IReadOnlyDictionary<string, string?> fields)
{
    public string? Text(string field) => fields.GetValueOrDefault(field);

    public double Number(string field) => double.TryParse(Text(field), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public double? NumberOrNull(string field) => double.TryParse(Text(field), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>
/// Runs a Logs Insights query (<c>StartQuery</c>, then <c>GetQueryResults</c> until it completes) over the REPORT lines and
/// other log lines the reviews and <c>/sb capacity</c> analyse. A query that fails, is cancelled or does not finish in
/// <see cref="Polls"/> polls gives null.
/// </summary>
public static class InsightsQueries
{
    public const int Polls = 60;
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>The REPORT lines of Lambda (Insights' <c>@type</c>); <c>@maxMemoryUsed</c> and <c>@memorySize</c> are in bytes.</summary>
    public const string ReportLines = "filter @type = \"REPORT\"";

    public static async Task<IReadOnlyList<InsightsRow>?> RunAsync(ICloudWatchLogsClient logs, string logGroup, DateTimeOffset start, DateTimeOffset end, string query,
        CancellationToken cancellationToken)
    {
        var queryId = await AwsFailures.Guard(Line.Of("querying the logs of ", Code(logGroup)), () => logs.StartQueryAsync(new StartQueryRequest
        {
            LogGroupNames = [logGroup],
            StartTime = start.ToUnixTimeSeconds(),
            EndTime = end.ToUnixTimeSeconds(),
            QueryString = query,
        }, cancellationToken));
        for (var poll = 0; poll < Polls; poll++)
        {
            var answer = await AwsFailures.Guard(Line.Of("reading the query results of ", Code(logGroup)), () => logs.GetQueryResultsAsync(queryId, cancellationToken));
            if (answer.Status is "Complete")
                return answer.Results.Select(row => new InsightsRow(row.Where(f => f.Field is not null).GroupBy(f => f.Field!).ToDictionary(g => g.Key, g => g.First().Value))).ToList();
            if (answer.Status is "Failed" or "Cancelled" or "Timeout") return null;
            await Task.Delay(PollEvery, cancellationToken);
        }
        return null;
    }
}
