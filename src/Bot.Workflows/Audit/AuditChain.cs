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

    /// <summary>
    /// Re-checks the chain in order; reports the first broken link, if any. With <paramref name="from"/> (a signed checkpoint),
    /// <paramref name="chain"/> starts at its record, which must still be the one it signed; the records before it are not read.
    /// With <paramref name="signedBefore"/> (a full check), the record that checkpoint signed must be the one found.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> chain, CancellationToken cancellationToken,
        AuditCheckpoint? from = null, AuditCheckpoint? signedBefore = null)
    {
        var previous = Genesis;
        long expected = from?.Sequence ?? 1, count = 0;
        await foreach (var record in chain.WithCancellation(cancellationToken))
        {
            if (record.Sequence != expected)
                return AuditVerification.Broken(count, record.Sequence, $"record #{expected} is missing (found #{record.Sequence} next)");
            var checkpoint = from?.Sequence == record.Sequence ? from : signedBefore?.Sequence == record.Sequence ? signedBefore : null;
            if (checkpoint is not null && !string.Equals(record.Hash, checkpoint.Hash, StringComparison.Ordinal))
                return AuditVerification.Broken(count, record.Sequence, $"record #{record.Sequence} is not the one the checkpoint of {Stamp(checkpoint.At)} signed");
            // The checkpoint's record is where this check starts: the record it points at was checked when the checkpoint was signed.
            if (from?.Sequence != record.Sequence && !string.Equals(record.PreviousHash, previous, StringComparison.Ordinal))
                return AuditVerification.Broken(count, record.Sequence, $"record #{record.Sequence} does not point at the hash of record #{record.Sequence - 1}");
            if (!string.Equals(ComputeHash(record), record.Hash, StringComparison.Ordinal))
                return AuditVerification.Broken(count, record.Sequence, $"record #{record.Sequence} was changed after it was written (its hash does not match its content)");
            previous = record.Hash;
            expected++;
            count++;
        }
        // The chain ends before a record a checkpoint signed: its tail was cut off.
        if ((from ?? signedBefore) is { } last && expected <= last.Sequence)
            return AuditVerification.Broken(count, expected, $"records from #{expected} on are gone (the checkpoint of {Stamp(last.At)} signed #{last.Sequence})");
        return new AuditVerification(true, count, null, null, count == 0 ? null : previous) { From = from };
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}

/// <summary>
/// The result of re-checking the chain: intact (with the head hash) or the first broken link. <see cref="CheckedRecords"/> are the
/// records read this time: all of them, or those from the signed checkpoint <see cref="From"/> on.
/// </summary>
public sealed record AuditVerification(bool Intact, long CheckedRecords, long? BrokenAt, string? Problem, string? HeadHash)
{
    /// <summary>The signed checkpoint the check started at (its record included); null when it started at the genesis.</summary>
    public AuditCheckpoint? From { get; init; }

    /// <summary>What else the person who asked should know (e.g. why the check started at the genesis, a checkpoint signed now).</summary>
    public string? Note { get; init; }

    /// <summary>The sequence number of the chain's last record (when intact).</summary>
    public long HeadSequence => From is null ? CheckedRecords : From.Sequence + CheckedRecords - 1;

    public static AuditVerification Broken(long checkedRecords, long at, string problem) => new(false, checkedRecords, at, problem, null);
}
