using Bot.Sandbox.Account.Dashboards;
using Bot.Sandbox.Account.Iam;
using Bot.Sandbox.Account.Metrics;
using Bot.Sandbox.Account.Secrets;

namespace Bot.Sandbox.Account;

/// <summary>
/// The parts of the account the security and review work reads: IAM roles and policies, Secrets Manager, the
/// CloudWatch dashboards and the hourly metric history the reviews read. Each is generated on first use from the seed and
/// <see cref="Created"/> (never from the time of first use), so the account stays the same whenever it is asked. The
/// activity feed's items are the feed tables' item store in <see cref="DynamoDb"/>, like the user sessions'.
/// </summary>
public sealed partial class SandboxAccount
{
    private IamDirectory? _iam;
    private SecretsStore? _secrets;
    private DashboardBook? _dashboards;
    private HistoryModel? _history;

    /// <summary>Execution roles of the SecureBase functions and their policies.</summary>
    public IamDirectory Iam => LazyInitializer.EnsureInitialized(ref _iam, () => new IamDirectory(this));

    /// <summary>The <c>securebase-&lt;env&gt;-*</c> secrets and their rotations.</summary>
    public SecretsStore Secrets => LazyInitializer.EnsureInitialized(ref _secrets, () => new SecretsStore(this));

    /// <summary>The operations guide's CloudWatch dashboards.</summary>
    public DashboardBook Dashboards => LazyInitializer.EnsureInitialized(ref _dashboards, () => new DashboardBook(this));

    /// <summary>The metrics' hourly history beyond the minute model's 15 days.</summary>
    public HistoryModel History => LazyInitializer.EnsureInitialized(ref _history, () => new HistoryModel(this));
}
