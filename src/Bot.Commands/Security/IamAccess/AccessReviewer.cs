using Bot.Commands.Cloud;
using Bot.Integrations.Aws.Iam;
using Bot.Integrations.Aws.Lambda;
using Bot.Workflows.AccessReviews;

namespace Bot.Commands.Security.IamAccess;

/// <summary>A function whose role could not be reviewed, and why.</summary>
public sealed record UnreviewedFunction(string Function, string Reason);

/// <summary>
/// The guide's access review of one function: its execution role (from its configuration), the managed policies attached
/// (their default versions' documents) and the inline ones, each statement normalised and flagged, and the role's last use.
/// A role that is not SecureBase's is not reviewed.
/// </summary>
public sealed class AccessReviewer(ILambdaClient lambda, IIamClient iam)
{
    public async Task<RoleSnapshot> ReviewAsync(SecureBaseOptions options, string function, string reviewer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var configuration = await lambda.GetFunctionConfigurationAsync(function, null, cancellationToken);
        var roleArn = configuration.Role ?? throw new NotReviewableException($"{function} has no execution role");
        var roleName = SecureBaseNames.RoleName(roleArn);
        if (!SecureBaseNames.IsSecureBaseRole(options, roleName))
            throw new NotReviewableException($"its execution role {roleName} is not a SecureBase role (securebase-<env>-…); the bot reviews only SecureBase's");

        var role = iam.GetRoleAsync(roleName, cancellationToken);
        var attached = iam.ListAttachedRolePoliciesAsync(roleName, cancellationToken);
        var inlineNames = iam.ListRolePoliciesAsync(roleName, cancellationToken);
        await Task.WhenAll(role, attached, inlineNames);

        var statements = new List<PolicyStatement>();
        foreach (var policy in (await attached).OrderBy(p => p.PolicyName, StringComparer.Ordinal))
        {
            var managed = await iam.GetPolicyAsync(policy.PolicyArn, cancellationToken);
            var document = await iam.GetPolicyVersionAsync(policy.PolicyArn, managed.DefaultVersionId, cancellationToken);
            statements.AddRange(PolicyStatement.Parse($"attached {policy.PolicyName}@{managed.DefaultVersionId}", document));
        }
        foreach (var name in (await inlineNames).Order(StringComparer.Ordinal))
            statements.AddRange(PolicyStatement.Parse($"inline {name}", await iam.GetRolePolicyAsync(roleName, name, cancellationToken)));

        return new RoleSnapshot(function, roleName, statements.Select(s => s.Normal).ToList(), statements.SelectMany(s => s.Findings()).ToList(),
            (await role).LastUsed, now, reviewer);
    }
}

/// <summary>A function the review cannot look at (its role is not SecureBase's, or it has none).</summary>
public sealed class NotReviewableException(string reason) : Exception(reason);
