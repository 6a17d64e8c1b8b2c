using System.Text.Json;
using Bot.Commands.Changes;
using Bot.Integrations.Aws;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Incidents;

/// <summary>
/// Opens an incident's thread the first time the bot hears of it (a webhook, or the reconciler): admits it at the ops
/// channel's intake (which decides whether a storm lists it in its digest instead), matches its playbook, and saves it
/// with the escalation path and clock in force now. Opening twice changes nothing: the incident id is the aggregate's.
/// </summary>
public sealed class IncidentOpener(
    WorkflowEngine engine,
    IAggregateStore store,
    IOptionsMonitor<SlackOptions> slack,
    IOptionsMonitor<EscalationOptions> escalation,
    IOptionsMonitor<IncidentOptions> incidents,
    IOptions<SecureBaseOptions> secureBase,
    CloudAccount account,
    ILogger<IncidentOpener> logger)
{
    public static readonly WorkflowActor PagerDuty = new("pagerduty", "PagerDuty", ActorKind.External);

    /// <summary>Saves the incident (its card and thread follow through the outbox); Refused when it exists already.</summary>
    public async Task<FireOutcome> OpenAsync(IncidentEvent news, string idempotencyKey, CancellationToken cancellationToken)
    {
        var channel = slack.CurrentValue.OpsChannelId?.Trim() ?? "";
        if (channel.Length == 0) logger.LogWarning("Incident {Id} has no thread: Slack__OpsChannelId is not set", news.Incident.Id);
        var options = incidents.CurrentValue;
        var digest = await AdmitAsync(channel, news, options, cancellationToken);
        var quiet = digest is not null;
        var data = new IncidentData
        {
            Channel = channel,
            Quiet = quiet,
            DigestKey = digest,
            Rehearsal = account.IsRehearsal,
            Clock = escalation.CurrentValue.Clock,
            Levels = escalation.CurrentValue.Resolved().ToList(),
            WatchdogGrace = options.WatchdogGrace,
            NudgeBefore = options.NudgeBefore,
            Playbook = IncidentPlaybooks.Match(options.Rules, secureBase.Value, news.Incident.Title, news.Incident.Service),
        };
        var outcome = await engine.CreateAsync(Incident.Open(news, data), PagerDuty, $"pagerduty:{news.Incident.Id}", idempotencyKey, cancellationToken);
        logger.LogInformation("Incident {Id} opened ({Outcome}){Quiet}", news.Incident.Id, outcome.Kind, quiet ? " in a storm, without a thread" : "");
        return outcome;
    }

    /// <summary>The key of the storm digest the intake listed the incident in (no thread of its own); null when it gets a thread.</summary>
    private async Task<string?> AdmitAsync(string channel, IncidentEvent news, IncidentOptions options, CancellationToken cancellationToken)
    {
        var intakeId = IncidentIntake.IdFor(channel);
        if (await store.LoadAsync(IncidentIntake.Type, intakeId, cancellationToken) is null)
        {
            await engine.CreateAsync(IncidentIntake.For(channel, new IntakeData
            {
                Channel = channel,
                MaxPerMinute = options.Storm.MaxPerMinute,
                FlushEvery = options.Storm.FlushEvery,
                CalmAfter = options.Storm.CalmAfter,
            }), WorkflowActor.Bot, null, null, cancellationToken);
        }
        var i = news.Incident;
        var admitted = new AdmittedIncident(i.Id, i.Number, i.Title, i.Service, i.Urgency, news.At);
        await engine.FireAsync(WorkflowTrigger.For(IncidentIntake.Type, intakeId, IntakeTrigger.Admit, PagerDuty) with
        {
            Source = TriggerSource.External,
            IdempotencyKey = $"intake:{i.Id}",
            RequestId = $"pagerduty:{i.Id}",
            ArgumentsJson = JsonSerializer.Serialize(new AdmitRequest(admitted, options.Storm.MaxPerMinute), new JsonSerializerOptions(JsonSerializerDefaults.Web)),
        }, cancellationToken);
        var record = await store.LoadAsync(IncidentIntake.Type, intakeId, cancellationToken);
        return record is not null && IncidentIntake.Definition.Restore(record) is IncidentIntake intake && intake.IsQuiet(i.Id) ? intake.DigestKey : null;
    }
}
