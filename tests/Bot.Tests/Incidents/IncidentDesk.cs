using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Commands.Changes;
using Bot.Integrations.Aws;
using Bot.Commands.Cloud;
using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Testing.Workflows;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Incidents;

/// <summary>
/// The command layer's incident handling — the webhook sink, the opener with its storm intake, the reconciler — over an
/// <see cref="IncidentHost"/> (real engine and SQLite store, a fake pager). Webhook events are built as the parser
/// would hand them over.
/// </summary>
public sealed class IncidentDesk
{
    public IncidentDesk(IWorkflowStore store, FakeTimeProvider time, Action<IncidentOptions>? configure = null, EscalationOptions? escalation = null)
    {
        Host = new IncidentHost(store, time);
        var incidents = new IncidentOptions { Storm = { MaxPerMinute = 3, FlushEvery = TimeSpan.FromSeconds(5), CalmAfter = TimeSpan.FromMinutes(2) } };
        configure?.Invoke(incidents);
        var secureBase = new SecureBaseOptions();
        secureBase.ApplyDefaults();
        Opener = new IncidentOpener(Host.Engine, store, Monitor(new SlackOptions { OpsChannelId = IncidentHost.Channel }), Monitor(escalation ?? new EscalationOptions()),
            Monitor(incidents), Options.Create(secureBase), new CloudAccount(false), NullLogger<IncidentOpener>.Instance);
        var pagerDuty = Monitor(new PagerDutyOptions { ServiceIds = [IncidentHost.ServiceId, "PSBDDB1", "PSBAPI1"], TeamIds = [IncidentHost.TeamId] });
        Sink = new IncidentEventSink(Host.Engine, store, Host.Pager, Opener, pagerDuty, time, NullLogger<IncidentEventSink>.Instance);
        Reconciler = new IncidentReconciler(Host.Pager, store, Host.Engine, Opener, pagerDuty, time, NullLogger<IncidentReconciler>.Instance);
    }

    public IncidentHost Host { get; }
    public IncidentOpener Opener { get; }
    public IncidentEventSink Sink { get; }
    public IncidentReconciler Reconciler { get; }

    private int _events;

    /// <summary>A V3 webhook event about <paramref name="incident"/> as PagerDuty sends it.</summary>
    public PagerDutyWebhookEvent Event(string type, PagerIncident incident, DateTimeOffset? at = null, string? eventId = null, string? agent = "Alice Chen") => new()
    {
        Id = eventId ?? $"01EV{Interlocked.Increment(ref _events):D6}",
        EventType = type,
        ResourceType = "incident",
        OccurredAt = at ?? Host.Time.GetUtcNow(),
        Agent = agent is null ? null : new PagerDutyReference { Id = "PALICE1", Type = "user_reference", Summary = agent },
        DataType = "incident",
        Incident = new WebhookIncident
        {
            Id = incident.Id,
            Number = incident.Number,
            Title = incident.Title,
            Status = incident.Status,
            Urgency = incident.Urgency,
            HtmlUrl = incident.Url,
            CreatedAt = incident.CreatedAt,
            Service = new PagerDutyReference { Id = incident.ServiceId ?? "PSBLMB1", Summary = incident.Service },
            Teams = incident.TeamIds.Select(t => new PagerDutyReference { Id = t, Type = "team_reference" }).ToList(),
            Assignees = incident.Assignees.Select(a => new PagerDutyReference { Id = "P" + a.Length, Summary = a }).ToList(),
        },
    };

    public Task HandleAsync(PagerDutyWebhookEvent e) => Sink.HandleAsync(e, CancellationToken.None);

    public static IOptionsMonitor<T> Monitor<T>(T value) => new FixedMonitor<T>(value);

    private sealed class FixedMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
