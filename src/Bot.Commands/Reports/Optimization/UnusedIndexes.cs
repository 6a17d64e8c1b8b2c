using Bot.Commands.Cloud;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Optimization;

/// <summary>
/// The guide's "DynamoDB: review unused indexes and remove them": a global secondary index whose ConsumedReadCapacityUnits
/// (by <c>TableName</c> and <c>GlobalSecondaryIndexName</c>) add up to nothing in the last 30 days is read by nobody, while every
/// write to the table is still replicated to it.
/// </summary>
public sealed class UnusedIndexes(IDynamoDbRecovery tables, MetricReads reads) : IRecommender
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public string Title => "DynamoDB: remove unused indexes";

    public async Task<IReadOnlyList<Recommendation>> FindAsync(IReadOnlyList<SecureBaseEnvironment> environments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = environments.SelectMany(e => e.Tables).Distinct().ToList();
        var details = await Task.WhenAll(names.Select(t => AwsFailures.Guard(Line.Of("describing ", Code(t)), () => tables.DescribeTableDetailsAsync(t, cancellationToken))));
        var indexes = details.SelectMany(d => d.IndexCapacity.Keys.Select(i => (Table: d.Name, Index: i))).ToList();
        if (indexes.Count == 0) return [];
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 86400 * 86400);
        var values = await reads.ReadAsync("reading the indexes' reads", indexes.Select((x, i) => new MetricAsk($"gsi{i}", "AWS/DynamoDB", "ConsumedReadCapacityUnits",
            [new Dimension("TableName", x.Table), new Dimension("GlobalSecondaryIndexName", x.Index)], "Sum")).ToList(), end - Window, end, 86400, cancellationToken);
        var writes = await reads.ReadAsync("reading the indexes' writes", indexes.Select((x, i) => new MetricAsk($"gsiw{i}", "AWS/DynamoDB", "ConsumedWriteCapacityUnits",
            [new Dimension("TableName", x.Table), new Dimension("GlobalSecondaryIndexName", x.Index)], "Sum")).ToList(), end - Window, end, 86400, cancellationToken);
        return indexes.Select((x, i) => (x.Table, x.Index, Reads: values.Sum($"gsi{i}"), Writes: writes.Sum($"gsiw{i}")))
            .Where(x => x.Reads == 0)
            .Select(x => new Recommendation($"{x.Table}/{x.Index}",
                Line.Of(Code(x.Index), " on ", Code(x.Table), $": no reads in 30 days, while {x.Writes:N0} write units were replicated to it"),
                Line.Of("Remove the index ", Code(x.Index), " from ", Code(x.Table), " if no query needs it (a table change, through the team's change process)")))
            .ToList();
    }
}
