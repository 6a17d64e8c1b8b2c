namespace Bot.Workflows.Roles;

/// <summary>
/// The roles a person can hold (configured as <c>Rbac__Roles__&lt;role&gt;__Users__N</c> and <c>__Groups__N</c>).
/// Guards ask <c>ctx.Actor.Has(Role.Approver)</c>; their descriptions name the role in words.
/// </summary>
public static class Role
{
    /// <summary>May approve production changes.</summary>
    public const string Approver = "approver";
    /// <summary>One of the two approvals of a Major change.</summary>
    public const string TechLead = "tech-lead";
    /// <summary>The other approval of a Major change; may read the audit trail.</summary>
    public const string OpsManager = "ops-manager";
    /// <summary>Approves security-relevant changes.</summary>
    public const string Security = "security";
    /// <summary>May page and act on incidents.</summary>
    public const string Responder = "responder";
    /// <summary>Runs the bot: audit trail, outbox.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Approver, TechLead, OpsManager, Security, Responder, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>The role in words, e.g. "an ops manager".</summary>
    public static string InWords(string role) => role switch
    {
        Approver => "an approver",
        TechLead => "a tech lead",
        OpsManager => "an ops manager",
        Security => "a security reviewer",
        Responder => "an incident responder",
        Admin => "a bot admin",
        _ => $"'{role}'",
    };
}
