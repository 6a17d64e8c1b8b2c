namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// The steps of a production change at which the fault suite kills the bot (SIGKILL), each armed as a hook on the
/// Slack stand-in or the AWS proxy. <c>kill</c> kills the current instance the first time and answers false (the
/// message in flight is dropped, as a dead process never hears its answer), and answers true (let it pass) after. Steps of other workflows (an incident's) are added the same way: a name
/// and the hook that fires at that step.
/// </summary>
public static class ChangeKillPoints
{
    /// <summary>Kill points that fire before the approval click; the rest fire after it.</summary>
    public static readonly IReadOnlySet<string> BeforeApproval = new HashSet<string> { "card-posted" };

    /// <summary>Killed by the test itself, right after the click was acknowledged.</summary>
    public const string ClickAcknowledged = "click-acknowledged";

    public static readonly string[] All =
    [
        "card-posted",          // Slack took the card; the bot never heard its ts
        ClickAcknowledged,      // the approval click was acked; its transition may or may not be saved
        "preflight-read",       // the pre-flight re-reads the live alias
        "alias-not-moved",      // UpdateAlias is on its way; AWS never gets it
        "alias-moved-unheard",  // AWS moved the alias; the bot never hears it did
        "watch-check",          // the watch window reads the new version's errors
        "card-edited",          // Slack is editing the card; the bot never hears it did
    ];

    public static void Arm(string point, ChangeRig rig, Func<bool> kill, Func<bool> approved)
    {
        switch (point)
        {
            case "card-posted":
                rig.Slack.BeforeAnswer = r => Task.FromResult(r.Path == "/api/chat.postMessage" && r.Body.Contains(ChangeRig.ApproveActionId, StringComparison.Ordinal) ? kill() : true);
                break;
            case ClickAcknowledged:
                break;
            case "preflight-read":
                rig.Aws.Before = c => Task.FromResult(approved() && c.Operation == "GetAlias" ? kill() : true);
                break;
            case "alias-not-moved":
                rig.Aws.Before = c => Task.FromResult(c.Operation == "UpdateAlias" ? kill() : true);
                break;
            case "alias-moved-unheard":
                rig.Aws.After = c => Task.FromResult(c.Operation == "UpdateAlias" ? kill() : true);
                break;
            case "watch-check":
                rig.Aws.Before = c => Task.FromResult(c.Operation == "GetMetricData" && rig.Aws.Count("UpdateAlias") > 0 ? kill() : true);
                break;
            case "card-edited":
                rig.Slack.BeforeAnswer = r => Task.FromResult(approved() && r.Path == "/api/chat.update" ? kill() : true);
                break;
            default:
                throw new ArgumentException($"Unknown kill point '{point}'.");
        }
    }
}
