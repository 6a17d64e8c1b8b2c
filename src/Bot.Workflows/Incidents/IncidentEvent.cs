using System.Text.Json;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Incidents;

/// <summary>Where news of an incident came from.</summary>
public enum IncidentNewsSource
{
    /// <summary>A PagerDuty webhook.</summary>
    Webhook,
    /// <summary>The reconciler's poll of open incidents (a webhook was lost or is late).</summary>
    Reconciler,
    /// <summary>PagerDuty's answer to a call the bot made (a button, the bot's clock).</summary>
    Bot,
}

/// <summary>
/// What PagerDuty says happened to an incident: the incident as it now is, when (PagerDuty's <c>occurred_at</c>, or
/// when the bot read it), who did it (a name; null when PagerDuty did it itself), an optional note (a PagerDuty note,
/// a new priority), and where the news came from. It travels as the arguments of the PagerDuty triggers, or as the
/// result of the activity that called PagerDuty.
/// </summary>
public sealed record IncidentEvent(PagerIncident Incident, DateTimeOffset At, string? By = null, string? Note = null, IncidentNewsSource Via = IncidentNewsSource.Webhook)
{
    /// <summary>
    /// The PagerDuty name of the person who acted, when <see cref="By"/> is their Slack name (a button's answer): the same
    /// person is then listed once, whether the webhook or the answer told first.
    /// </summary>
    public string? ByPagerDuty { get; init; }

    /// <summary>An id that tells this news apart from its echo (a note's id: the note added from Slack is shown once).</summary>
    public string? NoteId { get; init; }

    /// <summary>How the note's line begins in the thread: 📝 for notes and news, 📣 for status updates.</summary>
    public string Icon { get; init; } = "📝";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static IncidentEvent? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            // Arguments of another shape (a button's {"input": …}) are not news.
            return JsonSerializer.Deserialize<IncidentEvent>(json, Json) is { Incident: not null } news ? news : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The event a trigger carries: an activity's result, or the arguments of a trigger from outside.</summary>
    public static IncidentEvent? Of(FireContext ctx) =>
        ctx.Source == TriggerSource.Activity ? FromJson(ctx.Activity?.DetailJson) : FromJson(ctx.ArgumentsJson);

    /// <summary>Who did it, for a timeline line.</summary>
    public string Who => By is { Length: > 0 } by ? by : "PagerDuty";
}
