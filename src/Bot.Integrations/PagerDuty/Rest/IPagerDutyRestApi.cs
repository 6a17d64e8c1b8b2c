using Refit;

namespace Bot.Integrations.PagerDuty.Rest;

/// <summary>
/// The REST API v2 operations the bot uses, as a Refit interface. Use <see cref="PagerDutyClient"/>
/// rather than this: it pages, adds the <c>From</c> header and turns error answers into
/// <see cref="PagerDutyApiException"/>s. <c>Authorization</c> and <c>Accept</c> are set on the HTTP client.
/// </summary>
public interface IPagerDutyRestApi
{
    [Get("/incidents/{id}")]
    Task<IApiResponse<IncidentEnvelope>> GetIncidentAsync(string id, CancellationToken cancellationToken);

    /// <summary>The incident's log: who triggered it (<c>trigger_log_entry</c>), acknowledged it, and so on.</summary>
    [Get("/incidents/{id}/log_entries")]
    Task<IApiResponse<LogEntryList>> ListLogEntriesAsync(string id, [AliasAs("is_overview")] bool isOverview, int limit, int offset, CancellationToken cancellationToken);

    [Get("/incidents")]
    Task<IApiResponse<IncidentList>> ListIncidentsAsync(
        [Query(CollectionFormat.Multi), AliasAs("statuses[]")] IEnumerable<string> statuses,
        [Query(CollectionFormat.Multi), AliasAs("service_ids[]")] IEnumerable<string> serviceIds,
        [Query(CollectionFormat.Multi), AliasAs("team_ids[]")] IEnumerable<string> teamIds,
        [AliasAs("date_range")] string? dateRange,
        int limit,
        int offset,
        CancellationToken cancellationToken);

    [Put("/incidents/{id}")]
    Task<IApiResponse<IncidentEnvelope>> UpdateIncidentAsync(string id, [Header("From")] string from, [Body] UpdateIncidentRequest body, CancellationToken cancellationToken);

    [Post("/incidents/{id}/snooze")]
    Task<IApiResponse<IncidentEnvelope>> SnoozeIncidentAsync(string id, [Header("From")] string from, [Body] SnoozeRequest body, CancellationToken cancellationToken);

    [Post("/incidents/{id}/notes")]
    Task<IApiResponse<NoteEnvelope>> CreateNoteAsync(string id, [Header("From")] string from, [Body] CreateNoteRequest body, CancellationToken cancellationToken);

    [Post("/incidents/{id}/status_updates")]
    Task<IApiResponse<StatusUpdateEnvelope>> CreateStatusUpdateAsync(string id, [Header("From")] string from, [Body] StatusUpdateRequest body, CancellationToken cancellationToken);

    [Get("/oncalls")]
    Task<IApiResponse<OnCallList>> ListOnCallsAsync(
        [Query(CollectionFormat.Multi), AliasAs("escalation_policy_ids[]")] IEnumerable<string> escalationPolicyIds,
        [Query(CollectionFormat.Multi), AliasAs("include[]")] IEnumerable<string> include,
        int limit,
        int offset,
        CancellationToken cancellationToken);

    /// <summary><c>query</c> matches users whose name or e-mail contains it.</summary>
    [Get("/users")]
    Task<IApiResponse<UserList>> ListUsersAsync(string query, int limit, int offset, CancellationToken cancellationToken);

    [Get("/escalation_policies/{id}")]
    Task<IApiResponse<EscalationPolicyEnvelope>> GetEscalationPolicyAsync(string id, CancellationToken cancellationToken);
}
