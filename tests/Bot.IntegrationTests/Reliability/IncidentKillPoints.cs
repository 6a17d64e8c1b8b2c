using System.Text.Json.Nodes;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// The steps of an incident at which the fault suite kills the bot (SIGKILL), each armed as a hook on the Slack stand-in
/// or the PagerDuty proxy, as <see cref="ChangeKillPoints"/> does for a change: <c>kill</c> kills the current instance the
/// first time and answers false (the message in flight is dropped), and true (let it pass) after.
/// </summary>
public static class IncidentKillPoints
{
    public const string WebhookStored = "webhook-stored";
    public const string CardPosted = "card-posted";
    public const string EscalationUnheard = "escalation-unheard";
    /// <summary>Killed by the test itself, right after the Acknowledge click was acknowledged.</summary>
    public const string ClickAcknowledged = "ack-click-acknowledged";
    public const string AckNotSent = "ack-not-sent";
    public const string AckUnheard = "ack-unheard";

    public static readonly string[] All =
    [
        WebhookStored,     // PagerDuty's incident.triggered is stored (and answered); the worker reads the incident from PagerDuty
        CardPosted,        // Slack took the thread's card; the bot never heard its ts
        EscalationUnheard, // the first level's deadline passed (bot's clock): PagerDuty escalated; the bot never hears it did
        ClickAcknowledged, // Alice's Acknowledge click was acked; its transition may or may not be saved
        AckNotSent,        // the acknowledgement is on its way to PagerDuty; PagerDuty never gets it
        AckUnheard,        // PagerDuty acknowledged; the bot never hears it did
    ];

    /// <summary>Kill points that fire before anyone clicks; the rest fire after Alice's click.</summary>
    public static readonly IReadOnlySet<string> BeforeClick = new HashSet<string> { WebhookStored, CardPosted, EscalationUnheard };

    public static void Arm(string point, IncidentRig rig, Func<bool> kill)
    {
        switch (point)
        {
            case WebhookStored:
                rig.PagerDuty.Before = c => Task.FromResult(c.Operation == "PagerDuty.GetIncident" ? kill() : true);
                break;
            case CardPosted:
                rig.Slack.BeforeAnswer = r => Task.FromResult(r.Path == "/api/chat.postMessage" && r.Body.Contains(IncidentRig.AcknowledgeActionId, StringComparison.Ordinal)
                    && JsonNode.Parse(r.Body)?["thread_ts"] is null ? kill() : true);
                break;
            case EscalationUnheard:
                rig.FirstLevelWithin = TimeSpan.FromSeconds(2);
                rig.PagerDuty.After = c => Task.FromResult(c.Operation == "PagerDuty.Escalate" ? kill() : true);
                break;
            case ClickAcknowledged:
                break;
            case AckNotSent:
                rig.PagerDuty.Before = c => Task.FromResult(c.Operation == "PagerDuty.Acknowledge" ? kill() : true);
                break;
            case AckUnheard:
                rig.PagerDuty.After = c => Task.FromResult(c.Operation == "PagerDuty.Acknowledge" ? kill() : true);
                break;
            default:
                throw new ArgumentException($"Unknown kill point '{point}'.");
        }
    }
}
