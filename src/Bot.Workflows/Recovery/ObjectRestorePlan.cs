using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>
/// Restore an earlier version of a report: copy <see cref="VersionId"/> of <see cref="Key"/> onto the same key (the ops
/// guide's <c>copy-object --copy-source …?versionId=…</c>), which makes it the current version again and keeps every
/// other version. <see cref="CurrentVersionId"/> is what was current at the request (a delete marker, for a deleted report).
/// </summary>
public sealed record ObjectRestorePlan(
    string Environment,
    string Bucket,
    string Key,
    string VersionId,
    DateTimeOffset VersionModified,
    long VersionSize,
    string? CurrentVersionId,
    bool CurrentIsDeleteMarker) : OperationPlan
{
    public override string Describe() => $"restore version {VersionId} of s3://{Bucket}/{Key}";

    public override string Title => $"restore {Key}";

    public override IEnumerable<Line> Details()
    {
        yield return Line.Of(Strong("Object: "), Code($"s3://{Bucket}/{Key}"));
        yield return Line.Of(Strong("Restore version: "), Code(VersionId), " of ", Time(VersionModified), $" ({VersionSize:N0} bytes)");
        yield return Line.Of(Strong("Current now: "), CurrentVersionId is null ? "nothing" : Line.Of(CurrentIsDeleteMarker ? "a delete marker " : "version ", Code(CurrentVersionId)),
            "; the copy becomes the current version, every version stays");
    }
}
