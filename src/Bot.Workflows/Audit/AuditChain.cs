using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bot.Workflows.Audit;

/// <summary>
/// The hash chain: each record's hash is SHA-256 over a canonical serialization of its fields and the
/// previous record's hash, so changing, removing or reordering any stored record breaks every link after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    public static AuditRecord Seal(AuditDraft draft, long sequence, string previousHash)
    {
        var record = new AuditRecord
        {
            Sequence = sequence,
            At = new DateTimeOffset(draft.At.UtcTicks, TimeSpan.Zero),
            ActorId = draft.ActorId,
            ActorName = draft.ActorName,
            Action = draft.Action,
            AggregateType = draft.AggregateType,
            AggregateId = draft.AggregateId,
            Before = draft.Before,
            After = draft.After,
            RequestId = draft.RequestId,
            DetailsJson = draft.DetailsJson,
            PreviousHash = previousHash,
            Hash = "",
        };
        return record with { Hash = ComputeHash(record) };
    }

    /// <summary>SHA-256 (lower-case hex) over a JSON array of the fields in a fixed order, the previous hash last.</summary>
    public static string ComputeHash(AuditRecord r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteNumberValue(r.Sequence);
            w.WriteStringValue(r.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
            w.WriteStringValue(r.ActorId);
            w.WriteStringValue(r.ActorName);
            w.WriteStringValue(r.Action);
            WriteNullable(w, r.AggregateType);
            WriteNullable(w, r.AggregateId);
            WriteNullable(w, r.Before);
            WriteNullable(w, r.After);
            WriteNullable(w, r.RequestId);
            WriteNullable(w, r.DetailsJson);
            w.WriteStringValue(r.PreviousHash);
            w.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteNullable(Utf8JsonWriter w, string? value)
    {
        if (value is null) w.WriteNullValue();
        else w.WriteStringValue(value);
    }

    /// <summary>Re-checks the chain in order; reports the first broken link, if any.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> chain, CancellationToken cancellationToken)
    {
        var previous = Genesis;
        long expected = 1, count = 0;
        await foreach (var record in chain.WithCancellation(cancellationToken))
        {
            if (record.Sequence != expected)
                return AuditVerification.Broken(count, record.Sequence, $"record #{expected} is missing (found #{record.Sequence} next)");
            if (!string.Equals(record.PreviousHash, previous, StringComparison.Ordinal))
                return AuditVerification.Broken(count, record.Sequence, $"record #{record.Sequence} does not point at the hash of record #{record.Sequence - 1}");
            if (!string.Equals(ComputeHash(record), record.Hash, StringComparison.Ordinal))
                return AuditVerification.Broken(count, record.Sequence, $"record #{record.Sequence} was changed after it was written (its hash does not match its content)");
            previous = record.Hash;
            expected++;
            count++;
        }
        return new AuditVerification(true, count, null, null, count == 0 ? null : previous);
    }
}

/// <summary>The result of re-checking the chain: intact (with the head hash) or the first broken link.</summary>
public sealed record AuditVerification(bool Intact, long CheckedRecords, long? BrokenAt, string? Problem, string? HeadHash)
{
    public static AuditVerification Broken(long checkedRecords, long at, string problem) => new(false, checkedRecords, at, problem, null);
}
