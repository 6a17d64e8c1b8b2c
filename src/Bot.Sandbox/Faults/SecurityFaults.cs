namespace Bot.Sandbox.Faults;

/// <summary>Rotations started while it is in force fail at the <c>testSecret</c> step (of one secret, or of every one).</summary>
public sealed record RotationFailureFault(string Id, string? Secret) : Fault(Id)
{
    public override string Kind => "rotation-failure";
    public override bool IsActive => true;
}

/// <summary>A CloudWatch dashboard is gone: GetDashboard answers ResourceNotFound and ListDashboards leaves it out.</summary>
public sealed record DashboardMissingFault(string Id, string Dashboard) : Fault(Id)
{
    public override string Kind => "dashboard-missing";
    public override bool IsActive => true;
}

/// <summary>The faults of the security and review work: failing rotations, a missing dashboard, IAM throttling.</summary>
public sealed partial class SandboxFaults
{
    /// <summary>
    /// Makes rotations of <paramref name="secret"/> (name or ARN; null: every secret) that start from now on fail at
    /// <c>testSecret</c>: the new version keeps <c>AWSPENDING</c>, <c>AWSCURRENT</c> stays where it was, and the rotation
    /// function logs the error.
    /// </summary>
    public RotationFailureFault RotationFailure(string? secret = null)
    {
        string? name = null;
        if (secret is not null)
            name = _account.Secrets.Find(secret)?.Name ?? throw new ArgumentException($"There is no secret named '{secret}'.", nameof(secret));
        return Add(id => new RotationFailureFault(id, name));
    }

    /// <summary>Takes a dashboard away (clearing the fault brings it back).</summary>
    public DashboardMissingFault DashboardMissing(string dashboard)
    {
        if (_account.Dashboards.Find(dashboard, ignoreFaults: true) is null)
            throw new ArgumentException($"There is no dashboard named '{dashboard}'.", nameof(dashboard));
        return Add(id => new DashboardMissingFault(id, dashboard));
    }

    /// <summary>IAM answers <c>Throttling</c> (400, "Rate exceeded"), <paramref name="times"/> times or until cleared.</summary>
    public ErrorFault IamThrottling(int? times = null) => Error("iam", "Throttling", 400, "Rate exceeded", times);

    /// <summary>Whether a rotation of <paramref name="secretName"/> starting now fails.</summary>
    internal bool RotationFails(string secretName) =>
        _faults.OfType<RotationFailureFault>().Any(f => f.Secret is null || f.Secret == secretName);

    /// <summary>Whether a dashboard is taken away by a fault.</summary>
    internal bool IsDashboardMissing(string dashboard) =>
        _faults.OfType<DashboardMissingFault>().Any(f => f.Dashboard == dashboard);
}
