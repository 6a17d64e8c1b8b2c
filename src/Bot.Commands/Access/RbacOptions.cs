using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Bot.Workflows.Roles;

namespace Bot.Commands.Access;

/// <summary>The members of one role: Slack user ids and Slack user group ids.</summary>
public sealed class RoleMembers
{
    public List<string> Users { get; set; } = [];
    public List<string> Groups { get; set; } = [];
}

/// <summary>
/// Section <c>Rbac</c>: who holds which role — <c>Rbac__Roles__&lt;role&gt;__Users__N</c> (Slack user ids, <c>U…</c>/<c>W…</c>)
/// and <c>Rbac__Roles__&lt;role&gt;__Groups__N</c> (Slack user group ids, <c>S…</c>, resolved with
/// <c>usergroups.users.list</c>). Roles: approver, tech-lead, ops-manager, security, responder, admin. Validated on start:
/// a misspelt role or id would silently grant nothing.
/// </summary>
public sealed partial class RbacOptions : IValidatableObject
{
    public const string Section = "Rbac";

    public Dictionary<string, RoleMembers> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The e-mail domain of shell identities (<c>alice</c> → <c>alice@&lt;domain&gt;</c>), so a rehearsal in the shell acts
    /// as the sandbox PagerDuty's users. Unset (the server): shell identities have no e-mail.
    /// </summary>
    public string? ShellEmailDomain { get; set; }

    /// <summary>How long a user group's members are remembered before Slack is asked again.</summary>
    public TimeSpan GroupCacheFor { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (role, members) in Roles)
        {
            if (!Role.IsKnown(role))
                yield return new ValidationResult($"Rbac__Roles__{role}: unknown role; the roles are {string.Join(", ", Role.All)}.");
            foreach (var user in members.Users.Where(u => !UserId().IsMatch(u)))
                yield return new ValidationResult($"Rbac__Roles__{role}__Users: '{user}' is not a Slack user id (U… or W…).");
            foreach (var group in members.Groups.Where(g => !GroupId().IsMatch(g)))
                yield return new ValidationResult($"Rbac__Roles__{role}__Groups: '{group}' is not a Slack user group id (S…).");
        }
        if (GroupCacheFor < TimeSpan.Zero || GroupCacheFor > TimeSpan.FromHours(1))
            yield return new ValidationResult("Rbac__GroupCacheFor must be between 0 and 1 hour.");
    }

    [GeneratedRegex("^[UW][A-Z0-9]{2,30}$")]
    private static partial Regex UserId();

    [GeneratedRegex("^S[A-Z0-9]{2,30}$")]
    private static partial Regex GroupId();
}
