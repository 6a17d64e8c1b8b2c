namespace Bot.Sandbox.Faults;

public sealed partial class SandboxFaults
{
    /// <summary>
    /// Makes restores (of <paramref name="sourceTable"/>, or of any table) fail: the restored table ends up gone
    /// instead of ACTIVE. <paramref name="times"/>: how many restores fail (null: until cleared).
    /// </summary>
    public RestoreFailureFault RestoreFails(string? sourceTable = null, int? times = null)
    {
        if (sourceTable is not null && _account.DynamoDb.Find(sourceTable) is null)
            throw new ArgumentException($"There is no table named '{sourceTable}'.", nameof(sourceTable));
        if (times is <= 0) throw new ArgumentException("times must be positive.", nameof(times));
        var fault = Add(id => new RestoreFailureFault(id, sourceTable, times));
        if (times is { } n) lock (_gate) _remaining[fault.Id] = n;
        return fault;
    }

    /// <summary>Turns a reports bucket's versioning off (<c>Suspended</c>, or <c>Disabled</c> as if never enabled) until cleared.</summary>
    public BucketVersioningFault BucketVersioning(string bucket, string status = "Suspended")
    {
        if (_account.S3.Bucket(bucket) is null) throw new ArgumentException($"There is no bucket named '{bucket}'.", nameof(bucket));
        if (status is not ("Suspended" or "Disabled"))
            throw new ArgumentException("The status must be Suspended or Disabled (never enabled).", nameof(status));
        return Add(id => new BucketVersioningFault(id, bucket, status));
    }

    /// <summary>Whether a restore of <paramref name="sourceTable"/> starting now must fail (counts down limited faults).</summary>
    internal bool TakeRestoreFailure(string sourceTable)
    {
        lock (_gate)
        {
            var fault = _faults.OfType<RestoreFailureFault>().FirstOrDefault(f => f.SourceTable is null || f.SourceTable == sourceTable);
            if (fault is null) return false;
            if (_remaining.TryGetValue(fault.Id, out var left))
            {
                if (left <= 1)
                {
                    _remaining.Remove(fault.Id);
                    _faults = _faults.Remove(fault);
                }
                else _remaining[fault.Id] = left - 1;
            }
            return true;
        }
    }

    /// <summary>The versioning status a fault forces on <paramref name="bucket"/> (Suspended or Disabled), or null.</summary>
    internal string? VersioningOverride(string bucket) =>
        _faults.OfType<BucketVersioningFault>().LastOrDefault(f => f.Bucket == bucket)?.Status;
}
