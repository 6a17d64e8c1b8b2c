namespace Bot.Integrations.Aws.Iam;

/// <summary>
/// The IAM reads of the access review (the query protocol, version 2010-05-08; our own SigV4 client, as no AWSSDK.IdentityManagement
/// package is served). Lists follow <c>Marker</c> until <c>IsTruncated</c> is false; policy documents come back decoded.
/// </summary>
[AwsClient("iam")]
public interface IIamClient
{
    /// <summary>The role with <c>RoleLastUsed</c>.</summary>
    Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken);

    /// <summary>Every managed policy attached to the role (all pages).</summary>
    Task<IReadOnlyList<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken);

    /// <summary>The names of the role's inline policies (all pages).</summary>
    Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken);

    /// <summary>An inline policy's document, URL-decoded.</summary>
    Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken);

    /// <summary>A managed policy (its <c>DefaultVersionId</c>).</summary>
    Task<ManagedPolicy> GetPolicyAsync(string policyArn, CancellationToken cancellationToken);

    /// <summary>A version of a managed policy's document, URL-decoded.</summary>
    Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken);
}
