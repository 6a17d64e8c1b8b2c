namespace Bot.Sandbox.PagerDuty;

/// <summary>
/// Who is on call on each level of the policy: the directory's people to begin with; <see cref="HandOver"/> changes a level's
/// on-call from now on (a shift change, or an override), as a schedule would. <c>GET /oncalls</c> shows each level's on-call
/// with the start of their shift once it was handed over (<c>start</c> null before: on call since the account began), and new
/// escalations page whoever is on call then.
/// </summary>
public sealed partial class SandboxPagerDuty
{
    private readonly Dictionary<int, (SandboxPagerDutyUser User, DateTimeOffset Since)> _handedOver = [];

    /// <summary>Who is on call on <paramref name="level"/> now, and since when (null: since the account began).</summary>
    public (SandboxPagerDutyUser User, DateTimeOffset? Since) OnCall(int level)
    {
        lock (_gate) return OnCallLocked(level);
    }

    /// <summary>The on-call of every level of the policy, level 1 first.</summary>
    public IReadOnlyList<(SandboxEscalationLevel Level, SandboxPagerDutyUser User, DateTimeOffset? Since)> OnCalls
    {
        get
        {
            lock (_gate) return PagerDutyDirectory.Levels.Select(l => OnCallLocked(l.Level) is var (user, since) ? (l, user, since) : default).ToList();
        }
    }

    /// <summary>Makes <paramref name="user"/> the on-call of <paramref name="level"/> from now on; returns when their shift began.</summary>
    public DateTimeOffset HandOver(int level, SandboxPagerDutyUser user)
    {
        if (level < 1 || level > PagerDutyDirectory.Levels.Count)
            throw new ArgumentOutOfRangeException(nameof(level), $"The policy has levels 1 to {PagerDutyDirectory.Levels.Count}.");
        var now = _time.GetUtcNow();
        lock (_gate) _handedOver[level] = (user, now);
        return now;
    }

    private (SandboxPagerDutyUser User, DateTimeOffset? Since) OnCallLocked(int level) =>
        _handedOver.TryGetValue(level, out var handed) ? (handed.User, handed.Since) : (PagerDutyDirectory.Levels[level - 1].OnCall, null);
}
