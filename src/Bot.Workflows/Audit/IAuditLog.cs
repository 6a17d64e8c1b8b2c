using Bot.Workflows.Storage;

namespace Bot.Workflows.Audit;

/// <summary>The append-only, hash-chained audit trail. Workflow transitions append through the engine; other records (e.g. a command run) through <see cref="AppendAsync"/>.</summary>
public interface IAuditLog
{
    Task<AuditRecord> AppendAsync(AuditDraft draft, CancellationToken cancellationToken);
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}

/// <summary>The audit log over the workflow store: standalone records are chained exactly like transitions.</summary>
public sealed class AuditLog(IWorkflowStore store) : IAuditLog
{
    public Task<AuditRecord> AppendAsync(AuditDraft draft, CancellationToken cancellationToken) =>
        store.CommitAsync(new UnitOfWork { Audit = draft }, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) =>
        store.ReadAuditAsync(query, cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        AuditChain.VerifyAsync(store.ReadAuditChainAsync(cancellationToken), cancellationToken);
}
