using System.Globalization;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>An UpdateTable request's capacity part: billing mode, table throughput, and throughput per index.</summary>
internal sealed record CapacityChange(string? BillingMode, (long Read, long Write)? Throughput, IReadOnlyDictionary<string, (long Read, long Write)> IndexThroughput);

public sealed partial class DynamoDbTables
{
    /// <summary>
    /// UpdateTable's billing mode and throughput, with DynamoDB's rules: PROVISIONED needs throughput for the table and
    /// every GSI, PAY_PER_REQUEST takes none, switching to PAY_PER_REQUEST is limited per rolling 24 hours
    /// (<see cref="RecoveryOptions.PayPerRequestSwitchesPerDay"/>), and an unchanged throughput is refused.
    /// </summary>
    internal void UpdateCapacity(TableState table, CapacityChange change) => Change(now =>
    {
        var status = table.Status(now);
        if (status != "ACTIVE")
            throw new AwsException("ResourceInUseException", $"Attempt to change a resource which is still in use: Table is being {(status == "CREATING" ? "created" : status == "UPDATING" ? "updated" : "deleted")}: {table.Name}");
        var current = table.Definition;
        var mode = change.BillingMode ?? (current.Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST");
        if (mode is not ("PROVISIONED" or "PAY_PER_REQUEST"))
            throw new AwsException("ValidationException", $"1 validation error detected: Value '{mode}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        if (change.BillingMode is null && change.Throughput is null && change.IndexThroughput.Count == 0)
            throw new AwsException("ValidationException", "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");

        if (mode == "PAY_PER_REQUEST")
        {
            if (change.Throughput is not null || change.IndexThroughput.Count > 0)
                throw Invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            if (!current.Provisioned)
                throw Invalid("The table is already in PAY_PER_REQUEST billing mode");
            CheckSwitchLimit(table, now);
            table.SwitchesToPayPerRequest.Add(now);
            table.LastUpdateToPayPerRequest = now;
            table.Definition = current with { Provisioned = false, ReadCapacity = 0, WriteCapacity = 0 };
            table.IndexCapacity = null;
        }
        else
        {
            if (change.Throughput is not { } t)
            {
                if (!current.Provisioned) throw Invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
                t = (current.ReadCapacity, current.WriteCapacity);
            }
            CheckUnits(t);
            var indexes = TableIndexes.Of(current).Select(i => i.Name).ToList();
            foreach (var index in change.IndexThroughput.Keys)
                if (!indexes.Contains(index))
                    throw new AwsException("ResourceNotFoundException", $"Requested resource not found: Index: {index} not found for table: {table.Name}");
            if (!current.Provisioned && indexes.FirstOrDefault(gsi => !change.IndexThroughput.ContainsKey(gsi)) is { } missing)
                throw Invalid($"ProvisionedThroughput must be specified for index: {missing}");
            if (current.Provisioned && change.IndexThroughput.Count == 0 && t == (current.ReadCapacity, current.WriteCapacity))
                throw new AwsException("ValidationException", string.Create(CultureInfo.InvariantCulture,
                    $"The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {current.ReadCapacity}. Requested ReadCapacityUnits: {t.Read}. Current WriteCapacityUnits provisioned for the table: {current.WriteCapacity}. Requested WriteCapacityUnits: {t.Write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."));
            foreach (var units in change.IndexThroughput.Values) CheckUnits(units);
            if (current.Provisioned)
            {
                if (t.Read > current.ReadCapacity || t.Write > current.WriteCapacity) table.LastIncrease = now;
                if (t.Read < current.ReadCapacity || t.Write < current.WriteCapacity) table.Decrease(now);
            }
            table.Definition = current with { Provisioned = true, ReadCapacity = (int)t.Read, WriteCapacity = (int)t.Write };
            // The sandbox keeps one GSI throughput per table (its indexes share it).
            if (indexes.FirstOrDefault(change.IndexThroughput.ContainsKey) is { } name) table.IndexCapacity = change.IndexThroughput[name];
        }
        table.UpdatingUntil = now + Options.TableUpdateDuration;
        return true;
    });

    private void CheckSwitchLimit(TableState table, DateTimeOffset now)
    {
        var recent = table.SwitchesToPayPerRequest.Where(s => now - s < TimeSpan.FromDays(1)).OrderBy(s => s).ToList();
        var limit = Math.Max(1, Options.PayPerRequestSwitchesPerDay);
        if (recent.Count < limit) return;
        static string Text(DateTimeOffset t) => t.UtcDateTime.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
        throw new AwsException("LimitExceededException",
            $"Subscriber limit exceeded: Update to PayPerRequest mode are limited to {(limit == 1 ? "once" : limit.ToString(CultureInfo.InvariantCulture) + " times")} in 1 day(s). " +
            $"Last update at {Text(recent[^1])}. Next update can be made at {Text(recent[0].AddDays(1))}");
    }

    private static void CheckUnits((long Read, long Write) units)
    {
        if (units.Read < 1 || units.Write < 1)
            throw Invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified and be greater than 0");
        if (units.Read > 40_000 || units.Write > 40_000)
            throw new AwsException("LimitExceededException", "Subscriber limit exceeded: Provisioned throughput for a table or index can not exceed 40000 read or write capacity units");
    }

    private static AwsException Invalid(string message) => new("ValidationException", "One or more parameter values were invalid: " + message);
}
