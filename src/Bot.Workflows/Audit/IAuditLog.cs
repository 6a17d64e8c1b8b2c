using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Audit;

/// <summary>The append-only, hash-chained audit trail. Workflow transitions append through the engine; other records (e.g. a command run) through <see cref="AppendAsync"/>.</summary>
public interface IAuditLog
{
    Task<AuditRecord> AppendAsync(AuditDraft draft, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="draft"/> only if <paramref name="key"/> (a delivery from outside) was never seen, and
    /// remembers the key with <paramref name="outcome"/> for <paramref name="retention"/>, in one write. Null when the key
    /// was seen before: a replayed delivery leaves no second record.
    /// </summary>
    Task<AuditRecord?> AppendOnceAsync(AuditDraft draft, string key, string outcome, TimeSpan retention, CancellationToken cancellationToken);
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Re-checks the chain from the latest signed checkpoint (<see cref="AuditCheckpoint"/>), or from the genesis when there is none
    /// or <paramref name="full"/>; an intact chain gets a new checkpoint at its head, where the next check starts.
    /// </summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken, bool full = false);
}

/// <summary>
/// The audit log over the workflow store: standalone records are committed as units of work without an aggregate, so they are
/// chained exactly like transitions; <paramref name="chain"/> reads them back. Checks start at the latest checkpoint signed with
/// <paramref name="keys"/> (none: every check reads every record).
/// </summary>
public sealed class AuditLog(IAggregateStore store, IAuditStore chain, IDataKeys? keys = null, TimeProvider? time = null) : IAuditLog
{
    private readonly AuditCheckpointSigner _signer = new(keys);

    public Task<AuditRecord> AppendAsync(AuditDraft draft, CancellationToken cancellationToken) =>
        store.CommitAsync(new UnitOfWork { Audit = draft }, cancellationToken);

    public async Task<AuditRecord?> AppendOnceAsync(AuditDraft draft, string key, string outcome, TimeSpan retention, CancellationToken cancellationToken)
    {
        try
        {
            return await store.CommitAsync(new UnitOfWork { Audit = draft, Claim = new ClaimedKey(key, outcome, retention) }, cancellationToken);
        }
        catch (AlreadyClaimedException)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) =>
        chain.ReadAuditAsync(query, cancellationToken);

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken, bool full = false)
    {
        AuditCheckpoint? trusted = null;
        string? note = null;
        if (await chain.LatestAuditCheckpointAsync(cancellationToken) is { } latest)
        {
            var (signature, problem) = await _signer.CheckAsync(latest, cancellationToken);
            if (signature == CheckpointSignature.Forged)
                return AuditVerification.Broken(0, latest.Sequence, $"the checkpoint at record #{latest.Sequence} was not signed by the bot: {problem}; someone wrote it into the store");
            if (signature == CheckpointSignature.Valid) trusted = latest;
            else if (_signer.CanSign) note = "The last checkpoint was signed with another key, so every record was checked.";
        }

        // A full check reads every record, and the one the latest checkpoint signed must still be the same.
        var result = trusted is not null && !full
            ? await AuditChain.VerifyAsync(chain.ReadAuditChainAsync(trusted.Sequence, cancellationToken), cancellationToken, from: trusted)
            : await AuditChain.VerifyAsync(chain.ReadAuditChainAsync(cancellationToken), cancellationToken, signedBefore: trusted);
        if (!result.Intact) return result;
        if (!_signer.CanSign) return result with { Note = "There is no key to sign checkpoints with (set Changes__SecretsKmsKeyId), so every check reads every record." };
        if (result.HeadHash is { } head && result.HeadSequence > (trusted?.Sequence ?? 0))
        {
            await chain.SaveAuditCheckpointAsync(await _signer.SignAsync(result.HeadSequence, head, (time ?? TimeProvider.System).GetUtcNow(), cancellationToken), cancellationToken);
            note = (note is null ? "" : note + " ") + $"Checkpoint signed at record #{result.HeadSequence}: the next check starts there.";
        }
        return result with { Note = note };
    }
}
