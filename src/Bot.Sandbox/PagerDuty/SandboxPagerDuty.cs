using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Sandbox.Account;

namespace Bot.Sandbox.PagerDuty;

/// <summary>
/// The simulated PagerDuty account: incidents on the SecureBase escalation policy (see <see cref="PagerDutyDirectory"/>),
/// which PagerDuty's own clock escalates level by level until someone acknowledges, acknowledgement timeouts and
/// snoozes, notes, on-calls, and a signed V3 webhook to the subscriber for every incident change (<see cref="Webhooks"/>).
/// Changes come from the REST API, the Events API, the control API or the clock; all go through one lock.
/// Time is the account's <see cref="TimeProvider"/>, with delays divided by <see cref="ClockSpeed"/>.
/// </summary>
public sealed partial class SandboxPagerDuty : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxIncident> _incidents = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _seed;
    private readonly long _epoch;
    private long _numbers;
    private long _ids;

    public SandboxPagerDuty(SandboxPagerDutyOptions options, TimeProvider time, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _time = time;
        _seed = seed;
        _epoch = time.GetUtcNow().UtcTicks;
        _speed = options.ClockSpeed > 0 ? options.ClockSpeed : 1;
        Webhooks = new WebhookDelivery(options, time);
        Failures = new PagerDutyFailures(options, seed);
        if (Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url)) Webhooks.Subscribe(url, options.WebhookSecret);
    }

    public SandboxPagerDutyOptions Options { get; }

    /// <summary>Where webhooks go, and what became of each.</summary>
    public WebhookDelivery Webhooks { get; }

    /// <summary>The failure its REST and Events APIs show on purpose (<c>/sb sandbox pager fail 5xx|slow|429</c>), if any.</summary>
    public PagerDutyFailures Failures { get; }

    /// <summary>
    /// Opens an incident on <paramref name="service"/>, or adds an alert to the open one with the same
    /// <paramref name="dedupKey"/> (as the Events API does). It is assigned to level 1 and escalates on the clock.
    /// </summary>
    public SandboxIncidentView Trigger(SandboxPagerDutyService service, string summary, string severity, string? dedupKey, PagerDutyAgent? agent = null)
    {
        agent ??= PagerDutyAgent.Of(service);
        var changes = new List<JsonObject>();
        SandboxIncidentView view;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var key = string.IsNullOrEmpty(dedupKey) ? NewId("dedup", 32).ToLowerInvariant() : dedupKey;
            var open = _incidents.Values.FirstOrDefault(i => i.IsOpen && i.Service == service && i.IncidentKey == key);
            if (open is not null)
            {
                open.AlertCount++;
                open.UpdatedAt = now;
                return View(open);
            }
            var incident = new SandboxIncident
            {
                Id = "Q" + NewId("incident", 13),
                Number = Interlocked.Increment(ref _numbers),
                Title = summary,
                Service = service,
                IncidentKey = key,
                Urgency = severity is "critical" or "error" ? "high" : "low",
                CreatedAt = now,
                TriggeredBy = agent,
            };
            incident.AssignTo(now, OnCallLocked(1).User);
            incident.EscalateAt = Deadline(now, 1);
            Touch(incident, now, agent);
            _incidents.Add(incident.Id, incident);
            changes.Add(Event("incident.triggered", incident, agent, now));
            view = View(incident);
            Rearm(now);
        }
        Publish(changes);
        return view;
    }

    /// <summary>Acknowledges (a resolved incident is reopened as acknowledged, as PagerDuty does).</summary>
    public SandboxIncidentView Acknowledge(string id, SandboxPagerDutyUser user) => Change(id, PagerDutyAgent.Of(user), (incident, now, events) =>
    {
        if (!incident.IsOpen)
        {
            incident.ResolvedAt = null;
            incident.AssignTo(now, user);
            incident.AssignedVia = "direct_assignment";
            events.Add("incident.reopened");
        }
        incident.Status = "acknowledged";
        incident.Acknowledgements.Add((now, user));
        incident.EscalateAt = null;
        incident.UnacknowledgeAt = now + Scaled(incident.Service.AcknowledgementTimeout);
        events.Add("incident.acknowledged");
    });

    public SandboxIncidentView Resolve(string id, PagerDutyAgent agent) => Change(id, agent, (incident, now, events) =>
    {
        if (!incident.IsOpen) throw new PagerDutyException(400, 1001, "Incident Already Resolved");
        incident.Status = "resolved";
        incident.ResolvedAt = now;
        incident.Assignments.Clear();
        incident.Acknowledgements.Clear();
        incident.EscalateAt = null;
        incident.UnacknowledgeAt = null;
        events.Add("incident.resolved");
    });

    /// <summary>Escalates to <paramref name="level"/> (1-based) of the policy: its on-call is assigned and the level's clock starts.</summary>
    public SandboxIncidentView Escalate(string id, int level, PagerDutyAgent agent) => Change(id, agent, (incident, now, events) =>
    {
        if (!incident.IsOpen) throw new PagerDutyException(400, 1001, "Incident Already Resolved");
        if (level < 1 || level > PagerDutyDirectory.Levels.Count)
            throw new PagerDutyException(400, 1006, "Cannot Escalate", $"Escalation level {level} is not in the escalation policy (levels 1 to {PagerDutyDirectory.Levels.Count}).");
        incident.Level = level;
        incident.Status = "triggered";
        incident.AssignedVia = "escalation_policy";
        incident.Acknowledgements.Clear();
        incident.AssignTo(now, OnCallLocked(level).User);
        incident.UnacknowledgeAt = null;
        incident.EscalateAt = Deadline(now, level);
        events.Add("incident.escalated");
    });

    /// <summary>Assigns to these users directly: the incident is triggered again and no longer escalates on the policy's clock.</summary>
    public SandboxIncidentView Reassign(string id, IReadOnlyList<SandboxPagerDutyUser> users, PagerDutyAgent agent) => Change(id, agent, (incident, now, events) =>
    {
        if (!incident.IsOpen) throw new PagerDutyException(400, 1001, "Incident Already Resolved");
        incident.Status = "triggered";
        incident.AssignedVia = "direct_assignment";
        incident.Acknowledgements.Clear();
        incident.AssignTo(now, [.. users]);
        incident.UnacknowledgeAt = null;
        incident.EscalateAt = null;
        events.Add("incident.reassigned");
    });

    /// <summary>Snoozes an acknowledged incident: it is triggered again after <paramref name="duration"/> (divided by the clock speed).</summary>
    public SandboxIncidentView Snooze(string id, TimeSpan duration, SandboxPagerDutyUser user) => Change(id, PagerDutyAgent.Of(user), (incident, now, _) =>
    {
        if (incident.Status != "acknowledged") throw new PagerDutyException(400, 1012, "Incident is not Acknowledged");
        if (duration <= TimeSpan.Zero || duration > TimeSpan.FromDays(7)) throw new PagerDutyException(400, 1013, "Snooze Duration is Invalid");
        incident.UnacknowledgeAt = now + Scaled(duration);
    }, statusChange: false);

    internal SandboxNote AddNote(string id, SandboxPagerDutyUser user, string content) =>
        AddToTimeline(id, user, content, "note", i => i.Notes, "incident.annotated", PagerDutyViews.WebhookNote);

    /// <summary>Publishes a status update on the incident (its webhook: <c>incident.status_update_published</c>).</summary>
    internal SandboxNote PublishStatusUpdate(string id, SandboxPagerDutyUser user, string message) =>
        AddToTimeline(id, user, message, "status-update", i => i.StatusUpdates, "incident.status_update_published", PagerDutyViews.WebhookStatusUpdate);

    /// <summary>A note or a status update by <paramref name="user"/>: kept in the incident's list, and its webhook sent.</summary>
    private SandboxNote AddToTimeline(string id, SandboxPagerDutyUser user, string text, string kind, Func<SandboxIncident, List<SandboxNote>> list, string eventType,
        Func<SandboxIncident, SandboxNote, JsonObject> data)
    {
        var changes = new List<JsonObject>();
        SandboxNote note;
        lock (_gate)
        {
            var incident = Find(id);
            var now = _time.GetUtcNow();
            note = new SandboxNote("P" + NewId(kind, 6), user, text, now);
            list(incident).Add(note);
            incident.UpdatedAt = now;
            changes.Add(EventWith(eventType, data(incident, note), PagerDutyAgent.Of(user), now));
        }
        Publish(changes);
        return note;
    }

    private SandboxIncidentView Change(string id, PagerDutyAgent agent, Action<SandboxIncident, DateTimeOffset, List<string>> change, bool statusChange = true)
    {
        var changes = new List<JsonObject>();
        SandboxIncidentView view;
        lock (_gate)
        {
            var incident = Find(id);
            var now = _time.GetUtcNow();
            var eventTypes = new List<string>();
            change(incident, now, eventTypes);
            if (statusChange) Touch(incident, now, agent);
            else incident.UpdatedAt = now;
            changes.AddRange(eventTypes.Select(type => Event(type, incident, agent, now)));
            view = View(incident);
            Rearm(now);
        }
        Publish(changes);
        return view;
    }

    private SandboxIncident Find(string id) =>
        _incidents.TryGetValue(id, out var incident) ? incident : throw PagerDutyException.NotFound($"Incident {id}");

    private static void Touch(SandboxIncident incident, DateTimeOffset now, PagerDutyAgent? agent)
    {
        incident.UpdatedAt = now;
        incident.LastStatusChangeAt = now;
        incident.LastStatusChangeBy = agent;
    }

    private JsonObject Event(string type, SandboxIncident incident, PagerDutyAgent? agent, DateTimeOffset at) =>
        EventWith(type, PagerDutyViews.WebhookIncident(incident), agent, at);

    private JsonObject EventWith(string type, JsonObject data, PagerDutyAgent? agent, DateTimeOffset at) => new()
    {
        ["event"] = new JsonObject
        {
            ["id"] = "01" + NewId("event", 24),
            ["event_type"] = type,
            ["resource_type"] = "incident",
            ["occurred_at"] = PagerDutyViews.PreciseTime(at),
            ["agent"] = PagerDutyViews.Agent(agent),
            ["client"] = null,
            ["data"] = data,
        },
    };

    private void Publish(List<JsonObject> changes)
    {
        foreach (var change in changes) Webhooks.Enqueue(change);
    }

    /// <summary>
    /// Upper-case ids (PagerDuty's look base-36) from the seed and the moment the account was created: the same under a
    /// fake clock (tests), new on every real run, so a bot's durable store never mistakes a new run's events for old ones.
    /// </summary>
    private string NewId(string purpose, int length)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        var n = Interlocked.Increment(ref _ids);
        var chars = new char[length];
        var x = Deterministic.Key(_seed, Deterministic.Hash(purpose), n, _epoch);
        for (var i = 0; i < length; i++)
        {
            if (i % 12 == 0) x = Deterministic.Mix(x + (ulong)i);
            chars[i] = alphabet[(int)(x % (ulong)alphabet.Length)];
            x /= (ulong)alphabet.Length;
        }
        return new string(chars);
    }

    internal static string Minutes(TimeSpan t) => t.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
}
