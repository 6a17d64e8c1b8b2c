using Bot.Workflows.Audit;

namespace Bot.Workflows.Storage;

/// <summary>Reads the audit chain (records are appended by <see cref="IAggregateStore.CommitAsync"/>).</summary>
public interface IAuditStore
{
    /// <summary>Audit records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The whole audit chain, oldest first.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken cancellationToken);
}
