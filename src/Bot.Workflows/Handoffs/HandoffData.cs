using Bot.Workflows.Messages;

namespace Bot.Workflows.Handoffs;

/// <summary>Noted (seen, nothing posted), Waiting (posted, the incoming engineer has not said "I have it"), Claimed.</summary>
public enum HandoffState { Noted, Waiting, Claimed }

public enum HandoffTrigger
{
    /// <summary>The incoming engineer clicks <em>I have it</em>.</summary>
    Claim,
    /// <summary>Timer: nobody claimed it within the claim window; the thread reminds the incoming engineer.</summary>
    Remind,
    /// <summary>Timer: still nobody after another window; the thread mentions the next level.</summary>
    CallNextLevel,
}

/// <summary>An engineer of the handoff: their name, e-mail and id in the pager, and their chat user id when one was found by that e-mail.</summary>
public sealed record HandoffPerson(string Name, string? Email = null, string? SlackId = null, string? PagerId = null);

/// <summary>One part of the handoff (open incidents, changes being verified, …): a title, its lines, and what could not be read.</summary>
public sealed record HandoffSection(string Title, IReadOnlyList<Line> Items, string? Unavailable = null);

/// <summary>What the incoming engineer takes over, as it stood at <see cref="AsOf"/>.</summary>
public sealed record HandoffSnapshot(DateTimeOffset AsOf, IReadOnlyList<HandoffSection> Sections);

public sealed class HandoffData
{
    public string Channel { get; set; } = "";
    /// <summary>The escalation policy's name, and its first level's (whose on-call changed).</summary>
    public string Policy { get; set; } = "";
    public string LevelName { get; set; } = "level 1";
    public HandoffPerson? Outgoing { get; set; }
    public HandoffPerson Incoming { get; set; } = new("");
    /// <summary>When the incoming engineer's on-call began (the pager's, or when the bot saw the change).</summary>
    public DateTimeOffset ShiftStart { get; set; }
    public HandoffSnapshot Snapshot { get; set; } = new(default, []);
    /// <summary>How long the incoming engineer has to say "I have it" before the thread reminds them; as long again before the next level is mentioned.</summary>
    public TimeSpan ClaimWithin { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The next level: its name, its chat user or group to mention (from the escalation levels), who the pager has on call there.</summary>
    public string NextLevelName { get; set; } = "level 2";
    public string NextLevelNotify { get; set; } = "";
    public HandoffPerson? NextLevelOnCall { get; set; }
    /// <summary>Why a handoff was only noted (the bot's first look, or a shift that began long before the bot saw it).</summary>
    public string? NotedBecause { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public int Reminders { get; set; }
    public bool NextLevelCalled { get; set; }
}
