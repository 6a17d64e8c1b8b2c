namespace Bot.Sandbox.Faults;

/// <summary>
/// Restores started while it is set fail: the new table is CREATING for the restore's duration and then gone
/// (DescribeTable answers ResourceNotFoundException), the source untouched. <see cref="SourceTable"/> null: any source.
/// <see cref="Times"/> null: until cleared.
/// </summary>
public sealed record RestoreFailureFault(string Id, string? SourceTable, int? Times) : Fault(Id)
{
    public override string Kind => "restore-fails";
    public override bool IsActive => true;
}

/// <summary>
/// A reports bucket whose versioning is not on while it is set: <c>Suspended</c> (writes make "null" versions, a
/// delete hides the object behind a "null" delete marker) or <c>Disabled</c> (never enabled: GetBucketVersioning has no
/// Status, objects have no version ids). Clearing it turns versioning back on.
/// </summary>
public sealed record BucketVersioningFault(string Id, string Bucket, string Status) : Fault(Id)
{
    public override string Kind => "bucket-versioning";
    public override bool IsActive => true;
}
