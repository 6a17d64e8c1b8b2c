namespace Bot.Workflows.Audit;

/// <summary>An audit entry before it is chained: who did what, when, to what, and from which request.</summary>
public sealed record AuditDraft
{
    public required DateTimeOffset At { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    /// <summary>What happened, e.g. <c>Approve</c>, <c>command:/sb health</c>.</summary>
    public required string Action { get; init; }
    public string? AggregateType { get; init; }
    public string? AggregateId { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    /// <summary>The Slack (or shell) request this came from.</summary>
    public string? RequestId { get; init; }
    /// <summary>Further details as a JSON object.</summary>
    public string? DetailsJson { get; init; }
}

/// <summary>A stored, hash-chained audit record.</summary>
public sealed record AuditRecord
{
    public required long Sequence { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    public required string Action { get; init; }
    public string? AggregateType { get; init; }
    public string? AggregateId { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public string? RequestId { get; init; }
    public string? DetailsJson { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}

/// <summary>Which audit records to list: since when, by whom (user id or user name), at most how many.</summary>
public sealed record AuditQuery(DateTimeOffset? Since = null, string? ActorId = null, int Limit = 50);
