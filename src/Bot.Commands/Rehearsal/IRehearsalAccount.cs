namespace Bot.Commands.Rehearsal;

/// <summary>
/// The port <c>/sb sandbox</c> acts on: an account that can be told to misbehave (the host's sandbox, in local mode).
/// A bot on real AWS has none, and so no such verb. Invalid requests (an unknown function, a bad rate) throw
/// <see cref="ArgumentException"/> with words meant for people.
/// </summary>
public interface IRehearsalAccount
{
    IReadOnlyList<RehearsalFault> ActiveFaults { get; }
    RehearsalFault BreakFunction(string function, double rate);
    /// <summary>The next version published of the function fails: a deploy the bot rolls back by itself.</summary>
    RehearsalFault BadNextVersion(string function, double rate);
    RehearsalFault ThrottleTable(string table, double rate);
    RehearsalFault FailApi(string api, double rate);
    RehearsalFault Slow(string operationOrService, TimeSpan delay);
    /// <summary>Rotations that start from now stop at testSecret (of one secret, or of every one).</summary>
    RehearsalFault FailRotations(string? secret);
    /// <summary>Plants a debugging grant nobody removed on an IAM role, for the next access review to find.</summary>
    void DriftRole(string role);
    void FixAll();
    bool Fix(string faultId);

    IReadOnlyList<string> IncidentScenarios { get; }
    /// <summary>Breaks something and pages the account's PagerDuty about it.</summary>
    RehearsalPage PageIncident(string scenario, string? target, double? rate);
    RehearsalPager ReadPager();
    void SetPagerClockSpeed(double speed);
    void FastForwardPager(TimeSpan span);
    /// <summary>The account's PagerDuty APIs fail on purpose: <c>5xx</c>, <c>slow</c> or <c>429</c>, for a share of requests.</summary>
    RehearsalPagerFailure FailPager(string kind, double rate);
    /// <summary>Its PagerDuty APIs work again; false when they were not failing.</summary>
    bool HealPager();
    /// <summary>
    /// A shift change: the person of the account's PagerDuty named <paramref name="who"/> (their e-mail, or a name such as
    /// <c>erin</c>) is on call for the policy's first level from now on. Null when nobody is called that; the people it knows otherwise.
    /// </summary>
    RehearsalShift? HandOverPager(string who);
    IReadOnlyList<string> PagerPeople { get; }
}

/// <summary>A shift change in the account's PagerDuty: who is on call for level 1 now, and since when.</summary>
public sealed record RehearsalShift(string Name, string Email, DateTimeOffset Since);

/// <summary>How the account's PagerDuty fails on purpose: <see cref="Kind"/> (<c>5xx</c>, <c>slow</c>, <c>429</c>) for <see cref="Rate"/> of its API requests.</summary>
public sealed record RehearsalPagerFailure(string Kind, double Rate);

/// <summary>A fault in force. <see cref="Kind"/> is the sandbox's name (<c>function-errors</c>, <c>table-throttle</c>, <c>api-errors</c>, <c>latency</c>, …).</summary>
public sealed record RehearsalFault(string Id, string Kind, string? Target = null, double? Rate = null, string? Version = null, TimeSpan? Delay = null);

/// <summary>An incident of the account's PagerDuty, as the rehearsal shows it.</summary>
public sealed record RehearsalIncident(long Number, string Id, string Service, string Title, string Status, int Level, string LevelName, IReadOnlyList<string> Assignees,
    DateTimeOffset? EscalateAt, DateTimeOffset? UnacknowledgeAt);

/// <summary>What paging a scenario did: the fault set, the incident triggered, who is on call at level 1, and the account's time.</summary>
public sealed record RehearsalPage(string FaultId, RehearsalIncident Incident, string FirstOnCall, DateTimeOffset Now);

/// <summary>The account's PagerDuty: its clock speed, its webhooks and its open incidents, at <see cref="Now"/>.</summary>
public sealed record RehearsalPager(double ClockSpeed, bool WebhooksEnabled, string? WebhookUrl, int WebhooksDelivered, int WebhooksSent,
    IReadOnlyList<RehearsalIncident> Open, DateTimeOffset Now)
{
    /// <summary>The failure its APIs show on purpose, if any.</summary>
    public RehearsalPagerFailure? Failure { get; init; }
}
