namespace Bot.Integrations.Aws;

/// <summary>
/// Marks an interface as an AWS client whose methods are AWS operations of the IAM service <see cref="IamPrefix"/>
/// (<c>GetAliasAsync</c> → <c>lambda:GetAlias</c>). The deploy tests find every AWS call the bot can make this way and
/// check that the task role grants exactly those: a new client or method is covered (and must be granted) at once.
/// </summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class AwsClientAttribute(string iamPrefix) : Attribute
{
    public string IamPrefix { get; } = iamPrefix;
}

/// <summary>
/// An AWS operation that changes something or runs code (an approved change, a staging invoke): the read-only
/// deployment (<c>Access=read-only</c>) does not grant it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChangesAwsAttribute : Attribute;

/// <summary>
/// An operation the IAM policy names differently from the client method (<c>Invoke</c> → <c>InvokeFunction</c>), or a
/// convenience over another operation. An operation that AWS documents as needing more than its own action (registering
/// an auto scaling target also needs the table's and the alarms' permissions) lists each.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class IamActionAttribute(string action) : Attribute
{
    public string Action { get; } = action;
}

/// <summary>
/// Permissions an operation needs besides its own action, because AWS checks them against the caller too (an export to S3
/// writes the objects with the caller's rights): granted with it, on the resources the policy names.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlsoNeedsIamAttribute(params string[] actions) : Attribute
{
    public IReadOnlyList<string> Actions { get; } = actions;
}
