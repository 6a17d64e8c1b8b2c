using System.Security.Cryptography;
using System.Text;
using Bot.Workflows.Activities;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// Before an approved rotation starts: the secret must still have rotation configured, <c>AWSCURRENT</c> must still be
/// the version the approvers saw, and no earlier rotation may be unfinished. Read-only. (Its handler lives with the
/// Secrets Manager client, in the command layer.)
/// </summary>
public sealed record PreflightRotation(ChangeSpec Spec, string Digest, ChangeCategory Category, IReadOnlyList<ApproverRef> Approvers) : Activity
{
    public override string Describe() => $"check the live state before: {Spec.Describe()}";
}

/// <summary>
/// <c>RotateSecret</c> on the secret, with <see cref="Token"/> as the client request token: the new version's id, so a
/// repeat after a crash finds the rotation it started instead of starting another.
/// </summary>
public sealed record StartRotation(string Secret, string CurrentVersionId, string Token) : Activity
{
    public override string Describe() => $"start rotating {Secret} (new version {ChangeSpec.ShortVersion(Token)})";

    /// <summary>The token (and new version id) of change <paramref name="changeId"/>'s rotation: 36 characters, the same every time.</summary>
    public static string TokenFor(string changeId) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("securebase-rotation:" + changeId)).AsSpan(0, 16)).ToString("D");
}

/// <summary>
/// Where a rotation is: the stages of the new version (<c>AWSPENDING</c> after createSecret, <c>AWSCURRENT</c> after
/// finishSecret) and the rotation function's <c>ERROR</c> lines about this secret since it started. Read-only.
/// </summary>
public sealed record CheckRotation(string Secret, string LogGroup, string PreviousVersionId, string NewVersionId, DateTimeOffset Since, DateTimeOffset Until) : Activity
{
    public override string Describe() => $"look at the rotation of {Secret}";
}

/// <summary>What a rotation check found.</summary>
public enum RotationStage
{
    /// <summary>The new version does not exist yet (the rotation function has not run createSecret).</summary>
    Started,
    /// <summary>The new version has <c>AWSPENDING</c>.</summary>
    Pending,
    /// <summary>The new version has <c>AWSCURRENT</c>: rotated.</summary>
    Current,
    /// <summary>The rotation function failed (its log says so), or AWSCURRENT moved elsewhere: not rotated.</summary>
    Failed,
}

/// <summary>A check's result: the stage, and for a failure the rotation function's first error lines (masked) and what is true now.</summary>
public sealed record RotationReading(RotationStage Stage, IReadOnlyList<string> Errors, string? CurrentVersionId);
