using System.Text.Json.Nodes;

namespace Bot.Sandbox.PagerDuty;

/// <summary>
/// PagerDuty's own clock: a triggered incident escalates to the next level when its level's delay runs out
/// (none after the last level: the policy does not loop), and an acknowledgement runs out after the service's
/// acknowledgement timeout or the snooze. One timer on the account's <see cref="TimeProvider"/> is armed for the
/// earliest pending action. Delays are divided by <see cref="ClockSpeed"/>; <see cref="FastForward"/> moves every
/// pending action closer by a span of policy time, as if that much time had passed.
/// </summary>
public sealed partial class SandboxPagerDuty
{
    private double _speed;
    private ITimer? _timer;

    /// <summary>How many times faster than real time the escalation clock runs.</summary>
    public double ClockSpeed
    {
        get
        {
            lock (_gate) return _speed;
        }
    }

    /// <summary>Changes the speed; what is left of every pending action is rescaled.</summary>
    public void SetClockSpeed(double speed)
    {
        if (double.IsNaN(speed) || speed < 0.01 || speed > 100_000) throw new ArgumentException("The clock speed must be between 0.01 and 100000 (1 is real time).", nameof(speed));
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var ratio = _speed / speed;
            foreach (var incident in _incidents.Values)
            {
                if (incident.EscalateAt is { } e) incident.EscalateAt = now + (e - now) * ratio;
                if (incident.UnacknowledgeAt is { } u) incident.UnacknowledgeAt = now + (u - now) * ratio;
            }
            _speed = speed;
            Rearm(now);
        }
    }

    /// <summary>
    /// Acts as if <paramref name="span"/> of escalation time had passed (policy time: at speed 60, <c>15 min</c> skips a
    /// 15-minute level, which lasts 15 s): pending actions come that much closer, and those now due happen.
    /// </summary>
    public void FastForward(TimeSpan span)
    {
        if (span <= TimeSpan.Zero || span > TimeSpan.FromDays(7)) throw new ArgumentException("Fast-forward by a positive span of at most 7 days.", nameof(span));
        lock (_gate)
        {
            var shift = Scaled(span);
            foreach (var incident in _incidents.Values)
            {
                incident.EscalateAt -= shift;
                incident.UnacknowledgeAt -= shift;
            }
        }
        RunDueActions();
    }

    private TimeSpan Scaled(TimeSpan delay) => delay / _speed;

    /// <summary>When <paramref name="level"/> escalates if nobody acknowledges; null on the last level.</summary>
    private DateTimeOffset? Deadline(DateTimeOffset levelStart, int level) =>
        level < PagerDutyDirectory.Levels.Count ? levelStart + Scaled(PagerDutyDirectory.Levels[level - 1].Delay) : null;

    /// <summary>Arms the timer for the earliest pending action. Called under the lock.</summary>
    private void Rearm(DateTimeOffset now)
    {
        var next = _incidents.Values.SelectMany(NextActions).Select(a => a.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next == DateTimeOffset.MaxValue)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = next - now;
        if (due < TimeSpan.FromMilliseconds(1)) due = TimeSpan.FromMilliseconds(1);
        _timer ??= _time.CreateTimer(_ => RunDueActions(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private static IEnumerable<(DateTimeOffset At, string Action)> NextActions(SandboxIncident incident)
    {
        if (incident.Status == "triggered" && incident.EscalateAt is { } escalate) yield return (escalate, "escalate");
        if (incident.Status == "acknowledged" && incident.UnacknowledgeAt is { } unack) yield return (unack, "unacknowledge");
    }

    /// <summary>Performs every action that is due (catching up level by level if the clock jumped), then re-arms.</summary>
    internal void RunDueActions()
    {
        var changes = new List<JsonObject>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var guard = 0; guard < 10_000; guard++)
            {
                var due = _incidents.Values
                    .SelectMany(i => NextActions(i).Select(a => (Incident: i, a.At, a.Action)))
                    .Where(a => a.At <= now)
                    .OrderBy(a => a.At)
                    .FirstOrDefault();
                if (due.Incident is null) break;
                var incident = due.Incident;
                if (due.Action == "escalate")
                {
                    incident.Level++;
                    incident.AssignTo(now, OnCallLocked(incident.Level).User);
                    incident.EscalateAt = Deadline(due.At, incident.Level);
                    incident.UpdatedAt = now;
                    changes.Add(Event("incident.escalated", incident, null, now));
                }
                else
                {
                    incident.Status = "triggered";
                    incident.Acknowledgements.Clear();
                    incident.UnacknowledgeAt = null;
                    incident.EscalateAt = incident.AssignedVia == "escalation_policy" ? Deadline(due.At, incident.Level) : null;
                    Touch(incident, now, null);
                    changes.Add(Event("incident.unacknowledged", incident, null, now));
                }
            }
            Rearm(now);
        }
        Publish(changes);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
        Webhooks.Dispose();
    }
}
