using System.ComponentModel.DataAnnotations;

namespace Bot.Commands.Incidents;

/// <summary>Storms: more than <see cref="MaxPerMinute"/> new incidents in a minute are listed in one digest instead of a thread each.</summary>
public sealed class StormOptions
{
    [Range(1, 10_000)] public int MaxPerMinute { get; set; } = 10;
    /// <summary>How often the digest is edited at most while incidents keep arriving.</summary>
    public TimeSpan FlushEvery { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>A storm ends when nothing arrived for this long.</summary>
    public TimeSpan CalmAfter { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// On-call handoffs (<c>Incidents__Handoff__…</c>): how often the pager's on-call for the policy's first level is looked at
/// (<see cref="CheckEvery"/>, 0 turns handoffs off), how long the incoming engineer has to say "I have it" before the thread
/// reminds them (and as long again before it mentions the next level), and how late a shift change may be seen and still be
/// handed over (older ones, like the bot's first look, are only noted).
/// </summary>
public sealed class HandoffOptions
{
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan ClaimWithin { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A rule that matches incidents to a playbook by service and title (regular expressions, case-insensitive; empty matches anything).</summary>
public sealed class PlaybookRule
{
    /// <summary><c>lambda-errors</c>, <c>dynamodb-throttling</c> or <c>api-5xx</c>.</summary>
    public string Playbook { get; set; } = "";
    public string? Service { get; set; }
    public string? Title { get; set; }
}

/// <summary>
/// Section <c>Incidents</c>: storms (<c>Incidents__Storm__MaxPerMinute</c> …), how often the reconciler polls PagerDuty
/// (<c>Incidents__ReconcileEvery</c>, 0 turns it off), the watchdog's grace after a missed escalation, the reminder before
/// a deadline, and the playbook rules (<c>Incidents__Playbooks__N__Playbook</c>, <c>__Service</c>, <c>__Title</c>; first
/// match wins; without rules the defaults below apply).
/// </summary>
public sealed class IncidentOptions : IValidatableObject
{
    public const string Section = "Incidents";

    public static readonly IReadOnlyList<PlaybookRule> DefaultRules =
    [
        new() { Playbook = IncidentPlaybooks.LambdaErrors, Title = @"lambda|function error|invocation error" },
        new() { Playbook = IncidentPlaybooks.DynamoDbThrottling, Title = @"dynamodb|throttl" },
        new() { Playbook = IncidentPlaybooks.Api5xx, Title = @"api gateway|5xx|\b50[234]\b" },
        new() { Playbook = IncidentPlaybooks.LambdaErrors, Service = "lambda" },
        new() { Playbook = IncidentPlaybooks.DynamoDbThrottling, Service = "dynamodb" },
        new() { Playbook = IncidentPlaybooks.Api5xx, Service = @"\bapi\b" },
    ];

    public StormOptions Storm { get; set; } = new();
    public HandoffOptions Handoff { get; set; } = new();
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromMinutes(3);
    public TimeSpan WatchdogGrace { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan NudgeBefore { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a repeat of <c>/sb page</c> (the same service and summary) lands on the first one's alert; 0 turns it off.</summary>
    public TimeSpan PageDedupWindow { get; set; } = TimeSpan.FromMinutes(10);
    public List<PlaybookRule> Playbooks { get; set; } = [];

    public IReadOnlyList<PlaybookRule> Rules => Playbooks.Count > 0 ? Playbooks : DefaultRules;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReconcileEvery < TimeSpan.Zero) yield return new ValidationResult("Incidents__ReconcileEvery must not be negative (0 turns the reconciler off).");
        if (WatchdogGrace < TimeSpan.Zero) yield return new ValidationResult("Incidents__WatchdogGrace must not be negative.");
        if (NudgeBefore < TimeSpan.Zero) yield return new ValidationResult("Incidents__NudgeBefore must not be negative.");
        if (PageDedupWindow < TimeSpan.Zero || PageDedupWindow > TimeSpan.FromDays(1))
            yield return new ValidationResult("Incidents__PageDedupWindow must be between 0 (off) and a day, e.g. 00:10:00.");
        if (Handoff.CheckEvery < TimeSpan.Zero) yield return new ValidationResult("Incidents__Handoff__CheckEvery must not be negative (0 turns handoffs off).");
        if (Handoff.ClaimWithin <= TimeSpan.Zero || Handoff.LateAfter <= TimeSpan.Zero)
            yield return new ValidationResult("Incidents__Handoff__ClaimWithin and __LateAfter must be above zero, e.g. 00:15:00 and 01:00:00.");
        if (Storm.MaxPerMinute < 1) yield return new ValidationResult("Incidents__Storm__MaxPerMinute must be at least 1.");
        if (Storm.FlushEvery <= TimeSpan.Zero || Storm.CalmAfter <= TimeSpan.Zero) yield return new ValidationResult("Incidents__Storm__FlushEvery and __CalmAfter must be above zero.");
        for (var i = 0; i < Playbooks.Count; i++)
        {
            var rule = Playbooks[i];
            if (!IncidentPlaybooks.Names.Contains(rule.Playbook))
                yield return new ValidationResult($"Incidents__Playbooks__{i}__Playbook must be one of {string.Join(", ", IncidentPlaybooks.Names)}.");
            foreach (var (name, pattern) in new[] { ("Service", rule.Service), ("Title", rule.Title) })
            {
                if (string.IsNullOrEmpty(pattern)) continue;
                string? problem = null;
                try { _ = new System.Text.RegularExpressions.Regex(pattern); }
                catch (ArgumentException e) { problem = e.Message; }
                if (problem is not null) yield return new ValidationResult($"Incidents__Playbooks__{i}__{name} is not a valid regular expression: {problem}");
            }
        }
    }
}
