using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>
/// What every change's preflight checks besides its own live state, whatever it changes (an alias, a table, a secret):
/// the stored spec still hashes to the approved digest, no freeze forbids it (Emergency changes excepted), and the
/// approvers' roles are read again for the change to count its seats with (<see cref="PreflightResult.ApproverRoles"/>).
/// </summary>
public static class PreflightRules
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Why the change must not run whatever the live state (null when nothing forbids it).</summary>
    public static LiveCheck? Refusal(ChangeSpec spec, string digest, ChangeCategory category, FreezeCalendar freezes, DateTimeOffset now)
    {
        if (spec.Digest() != digest)
            return LiveCheck.Differs("DigestMismatch", $"the change to run no longer hashes to its approved digest {digest[..Math.Min(12, digest.Length)]}; it was altered. Nothing was changed.");
        if (category != ChangeCategory.Emergency && freezes.At(now) is { } freeze)
            return LiveCheck.Differs("Frozen", $"changes are frozen until {freeze.To.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({freeze.Reason}); only Emergency changes run during a freeze. Nothing was changed.");
        return null;
    }

    /// <summary>The roles each approver holds now, read side by side (one who cannot be found holds none).</summary>
    public static async Task<Dictionary<string, List<string>>> RolesNowAsync(IDirectory directory, IReadOnlyList<ApproverRef> approvers, CancellationToken cancellationToken)
    {
        var roles = await Task.WhenAll(approvers.Select(async p => (p.UserId, Roles: await directory.RolesOfAsync(new WorkflowActor(p.UserId, p.Name), cancellationToken))));
        return roles.ToDictionary(r => r.UserId, r => r.Roles.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    /// <summary>A passed preflight's result with the roles read.</summary>
    public static ActivityResult Passed(string message, Dictionary<string, List<string>> roles) =>
        new(message, JsonSerializer.Serialize(new PreflightResult(0, 0, null, roles), Json));
}
