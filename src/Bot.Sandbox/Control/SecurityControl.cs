using System.Text.Json;
using Bot.Sandbox.Account;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Control;

/// <summary>
/// The control API's IAM endpoints (<c>/_sandbox/iam/…</c>): change a role's policies between two access reviews, the
/// way someone with console access would. Bad input is an <see cref="ArgumentException"/>, unknown roles IAM's NoSuchEntity.
/// </summary>
internal static class SecurityControl
{
    public static readonly string[] Endpoints =
    [
        "POST   /_sandbox/iam/drift                {\"role\":\"securebase-prod-user-management-role\"}  plant a policy change for the next access review",
        "PUT    /_sandbox/iam/roles/{role}/policies/{name}   the body is the inline policy document to put (PutRolePolicy)",
        "DELETE /_sandbox/iam/roles/{role}/policies/{name}   delete an inline policy",
        "POST   /_sandbox/faults/rotation-failure  {\"secret\":\"securebase-prod-db-credentials\"} (no secret: every one)",
        "POST   /_sandbox/faults/dashboard-missing {\"dashboard\":\"SecureBase-Phase4-Prod\"}",
        "POST   /_sandbox/faults/iam-throttling    {\"times\":3} (no times: until cleared)",
    ];

    /// <summary>Handles <c>/_sandbox/iam/…</c>; returns the status and body to write.</summary>
    public static (int Status, object? Body) Handle(SandboxAccount account, string method, string[] segments, JsonElement body)
    {
        switch (segments.Length, method)
        {
            case (3, "POST") when segments[2] == "drift":
                var roleName = body.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()!
                    : throw new ArgumentException("Send \"role\" (e.g. securebase-prod-user-management-role) in the JSON body.");
                var role = account.Iam.Drift(roleName);
                return (200, new { role = role.RoleName, inlinePolicies = role.InlinePolicies.Keys, attachedPolicies = role.AttachedPolicyArns });
            case (6, "PUT") when segments[2] == "roles" && segments[4] == "policies":
                if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("Statement", out _))
                    throw new ArgumentException("Send the policy document (an object with Version and Statement) as the body.");
                account.Iam.PutRolePolicy(Uri.UnescapeDataString(segments[3]), Uri.UnescapeDataString(segments[5]),
                    JsonSerializer.Serialize(body, new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }));
                return (204, null);
            case (6, "DELETE") when segments[2] == "roles" && segments[4] == "policies":
                account.Iam.DeleteRolePolicy(Uri.UnescapeDataString(segments[3]), Uri.UnescapeDataString(segments[5]));
                return (204, null);
            default:
                return (404, new { error = $"No sandbox IAM endpoint {method} /{string.Join('/', segments)}.", endpoints = Endpoints });
        }
    }
}
