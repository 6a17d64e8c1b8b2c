namespace Bot.Sandbox;

/// <summary>
/// Settings of the simulated account (configuration section <c>Sandbox</c>). The defaults describe the
/// SecureBase account of the ops guide; the credentials are fake and only meaningful to the sandbox.
/// </summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Where Kestrel listens. Port 0 picks a free port. Only loopback addresses are allowed.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Seed of the generated data; the same seed and clock give the same account.</summary>
    public int Seed { get; set; } = 20260401;

    public string Region { get; set; } = "us-east-1";
    public string AccountId { get; set; } = "123456789012";

    /// <summary>The <c>securebase-&lt;env&gt;-…</c> environments, in the order of the ops guide.</summary>
    public IList<string> Environments { get; set; } = ["prod", "staging", "dev"];

    /// <summary>The access key the standalone sandbox suggests; any key except the two below is accepted.</summary>
    public string AccessKeyId { get; set; } = "AKIASANDBOX000000001";
    public string SecretAccessKey { get; set; } = "sandbox/secret/key/not/valid/on/aws/0000";

    /// <summary>Requests signed with this key get <c>AccessDeniedException</c>.</summary>
    public string DeniedAccessKeyId { get; set; } = "AKIASANDBOXDENIED001";

    /// <summary>Requests signed with this key get <c>ExpiredTokenException</c>.</summary>
    public string ExpiredAccessKeyId { get; set; } = "AKIASANDBOXEXPIRED01";

    /// <summary>How far <c>X-Amz-Date</c> may be from the sandbox clock (AWS allows 15 minutes); null turns the check off.</summary>
    public TimeSpan? ClockSkewTolerance { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a Lambda configuration or code update stays <c>InProgress</c> (PublishVersion and further updates
    /// meanwhile get ResourceConflictException, as on AWS). Zero: updates are <c>Successful</c> at once.
    /// </summary>
    public TimeSpan LambdaUpdateDuration { get; set; } = TimeSpan.Zero;

    /// <summary>How long provisioned concurrency stays <c>IN_PROGRESS</c> before it is <c>READY</c>. Zero: ready at the next read.</summary>
    public TimeSpan ProvisionedConcurrencyAllocationTime { get; set; } = TimeSpan.Zero;

    /// <summary>How many GetQueryResults polls answer <c>Running</c> before a Logs Insights query is <c>Complete</c> (to exercise polling).</summary>
    public int QueryPollsBeforeComplete { get; set; }

    /// <summary>
    /// How long each of a secret rotation's four steps (createSecret, setSecret, testSecret, finishSecret) takes on the
    /// account's clock: AWSPENDING appears after the first, AWSCURRENT moves after the fourth.
    /// </summary>
    public TimeSpan SecretRotationStepDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Durations and limits of backups, restores and capacity changes (<c>Sandbox:Recovery</c>).</summary>
    public RecoveryOptions Recovery { get; set; } = new();

    /// <summary>The simulated PagerDuty account (REST API under <c>/pagerduty/</c>, Events API under <c>/pagerduty-events/</c>).</summary>
    public PagerDuty.SandboxPagerDutyOptions PagerDuty { get; set; } = new();

    /// <summary>Whether the built-in open incident (elevated 5xx on <c>securebase-prod-api</c>, alarm in ALARM) is present at start.</summary>
    public bool StartWithOpenIncident { get; set; } = true;
}
