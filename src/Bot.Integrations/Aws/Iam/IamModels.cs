namespace Bot.Integrations.Aws.Iam;

/// <summary>A role as GetRole describes it; <see cref="LastUsed"/> is null when IAM has no record of its use (last 400 days).</summary>
public sealed record IamRole(string RoleName, string Arn, DateTimeOffset? Created, DateTimeOffset? LastUsed, string? LastUsedRegion);

public sealed record AttachedPolicy(string PolicyName, string PolicyArn);

public sealed record ManagedPolicy(string PolicyName, string Arn, string DefaultVersionId);
