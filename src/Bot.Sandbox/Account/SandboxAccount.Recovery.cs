using Bot.Sandbox.Account.AutoScaling;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.S3;

namespace Bot.Sandbox.Account;

public sealed partial class SandboxAccount
{
    /// <summary>
    /// The DynamoDB tables as the control plane sees them now (restored copies included, deleted tables gone), with
    /// point-in-time recovery, TTL, on-demand backups and the user-sessions items. <see cref="Tables"/> stays the
    /// generated SecureBase tables that have traffic, metrics and alarms.
    /// </summary>
    public DynamoDbTables DynamoDb { get; }

    /// <summary>The reports buckets, <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>.</summary>
    public ReportBuckets S3 { get; }

    /// <summary>Application Auto Scaling's targets and policies for the DynamoDB tables.</summary>
    public ScalingRegistry AutoScaling { get; }
}
