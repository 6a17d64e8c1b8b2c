using System.Collections.Immutable;

namespace Bot.Sandbox.Account.Iam;

/// <summary>
/// An IAM role of the account: a SecureBase function's execution role, with the managed policies attached
/// to it (by ARN) and its inline policies (name → policy document, JSON as it was put).
/// </summary>
public sealed record IamRole(
    string RoleName,
    string RoleId,
    string Arn,
    DateTimeOffset CreateDate,
    string AssumeRolePolicyDocument,
    string Description,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    DateTimeOffset? LastUsedDate,
    ImmutableList<string> AttachedPolicyArns,
    ImmutableSortedDictionary<string, string> InlinePolicies)
{
    public string Path => "/";
    public int MaxSessionDuration => 3600;
}

/// <summary>One version of a managed policy; the document is JSON as it was created.</summary>
public sealed record PolicyVersion(string VersionId, string Document, DateTimeOffset CreateDate);

/// <summary>
/// A managed policy: the account's own (<c>arn:aws:iam::&lt;account&gt;:policy/…</c>) with its versions, the
/// newest last. <see cref="DefaultVersionId"/> names the version in force.
/// </summary>
public sealed record ManagedPolicy(
    string PolicyName,
    string PolicyId,
    string Arn,
    string Description,
    DateTimeOffset CreateDate,
    string DefaultVersionId,
    ImmutableList<PolicyVersion> Versions)
{
    public string Path => "/";
    public PolicyVersion Default => Versions.First(v => v.VersionId == DefaultVersionId);
    public DateTimeOffset UpdateDate => Versions.Max(v => v.CreateDate);
}
