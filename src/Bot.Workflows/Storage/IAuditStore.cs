using Bot.Workflows.Audit;

namespace Bot.Workflows.Storage;

/// <summary>Reads the audit chain (records are appended by <see cref="IAggregateStore.CommitAsync"/>).</summary>
public interface IAuditStore
{
    /// <summary>Audit records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The whole audit chain, oldest first.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken cancellationToken);

    /// <summary>The audit chain from record <paramref name="fromSequence"/> on, oldest first.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(long fromSequence, CancellationToken cancellationToken);

    /// <summary>The checkpoint with the highest sequence number, if any (<see cref="AuditCheckpoint"/>).</summary>
    Task<AuditCheckpoint?> LatestAuditCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="checkpoint"/>; one already kept for its sequence number stays as it is.</summary>
    Task SaveAuditCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken);
}
