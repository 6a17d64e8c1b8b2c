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
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The audit log over the workflow store: standalone records are committed as units of work without an aggregate, so they are
/// chained exactly like transitions; <paramref name="chain"/> reads them back.
/// </summary>
public sealed class AuditLog(IAggregateStore store, IAuditStore chain) : IAuditLog
{
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

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        AuditChain.VerifyAsync(chain.ReadAuditChainAsync(cancellationToken), cancellationToken);
}
