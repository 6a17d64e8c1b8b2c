namespace Bot.Slack.AppHome;

/// <summary>What one person's App Home tab shows, as escaped Slack mrkdwn lines.</summary>
public sealed record AppHomeContent
{
    public required string UserId { get; init; }
    public required DateTimeOffset At { get; init; }
    public IReadOnlyList<string> OpenIncidents { get; init; } = [];
    public IReadOnlyList<string> WaitingForMyApproval { get; init; } = [];
    public IReadOnlyList<string> MyRecentChanges { get; init; } = [];
    /// <summary>Who is on call, level by level; or why that is not known.</summary>
    public IReadOnlyList<string> OnCall { get; init; } = [];
}
