using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Iam;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// IAM (the query protocol only: form <c>POST /</c> with <c>Action</c> and <c>Version=2010-05-08</c>, XML answers in
/// <c>https://iam.amazonaws.com/doc/2010-05-08/</c>; signing name <c>iam</c>, region us-east-1): GetRole (with
/// <c>RoleLastUsed</c>), ListRoles, ListAttachedRolePolicies, ListRolePolicies, GetRolePolicy, GetPolicy, GetPolicyVersion
/// and ListPolicyVersions, with Marker/MaxItems paging. Policy documents are URL-encoded, as IAM sends them.
/// Unknown roles and policies are <c>NoSuchEntity</c> (404).
/// </summary>
internal sealed class IamService(SandboxAccount account) : IJsonService
{
    /// <summary>What the query protocol needs to know about IAM's members (from the service model).</summary>
    public static readonly QueryShapes Shapes = new(
        "2010-05-08",
        "https://iam.amazonaws.com/doc/2010-05-08/",
        IntegerInputs: new HashSet<string>(StringComparer.Ordinal) { "MaxItems" },
        BooleanInputs: new HashSet<string>(StringComparer.Ordinal),
        TimestampOutputs: new HashSet<string>(StringComparer.Ordinal) { "CreateDate", "UpdateDate", "LastUsedDate" },
        DoubleOutputs: new HashSet<string>(StringComparer.Ordinal),
        MapOutputs: new HashSet<string>(StringComparer.Ordinal));

    public string TargetPrefix => "";
    public string SigningName => "iam";
    public WireProtocol Protocol => WireProtocol.Query;
    public string ErrorNamespace => "";
    public string ValidationCode => "ValidationError";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "GetRole" or "ListRoles" or "ListAttachedRolePolicies" or "ListRolePolicies"
        or "GetRolePolicy" or "GetPolicy" or "GetPolicyVersion" or "ListPolicyVersions";

    public object Invoke(string operation, JsonInput input)
    {
        var iam = account.Iam;
        switch (operation)
        {
            case "GetRole":
                return new { Role = Role(iam.RequireRole(Required(input, "RoleName")), full: true) };
            case "ListRoles":
                var prefix = input.String("PathPrefix") ?? "/";
                var roles = iam.Roles.Where(r => r.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                var (rolePage, roleMore, roleMarker) = Page(input, roles, r => r.RoleName);
                return new { Roles = rolePage.Select(r => Role(r, full: false)).ToList(), IsTruncated = roleMore, Marker = roleMarker };
            case "ListAttachedRolePolicies":
                var attached = iam.RequireRole(Required(input, "RoleName")).AttachedPolicyArns.Select(iam.RequirePolicy).ToList();
                var (policyPage, policyMore, policyMarker) = Page(input, attached, p => p.PolicyName);
                return new
                {
                    AttachedPolicies = policyPage.Select(p => new { p.PolicyName, PolicyArn = p.Arn }).ToList(),
                    IsTruncated = policyMore,
                    Marker = policyMarker,
                };
            case "ListRolePolicies":
                var names = iam.RequireRole(Required(input, "RoleName")).InlinePolicies.Keys.ToList();
                var (namePage, nameMore, nameMarker) = Page(input, names, n => n);
                return new { PolicyNames = namePage, IsTruncated = nameMore, Marker = nameMarker };
            case "GetRolePolicy":
                var role = iam.RequireRole(Required(input, "RoleName"));
                var policyName = Required(input, "PolicyName");
                var document = role.InlinePolicies.GetValueOrDefault(policyName)
                    ?? throw new AwsException("NoSuchEntity", $"The role policy with name {policyName} cannot be found.", 404);
                return new { RoleName = role.RoleName, PolicyName = policyName, PolicyDocument = Encode(document) };
            case "GetPolicy":
                return new { Policy = Policy(iam, iam.RequirePolicy(Required(input, "PolicyArn"))) };
            case "GetPolicyVersion":
                var policy = iam.RequirePolicy(Required(input, "PolicyArn"));
                var versionId = Required(input, "VersionId");
                var version = policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
                    ?? throw new AwsException("NoSuchEntity", $"Policy {policy.Arn} version {versionId} does not exist or is not attachable.", 404);
                return new { PolicyVersion = Version(policy, version, withDocument: true) };
            default:
                var owner = iam.RequirePolicy(Required(input, "PolicyArn"));
                var versions = owner.Versions.Reverse().ToList();
                var (versionPage, versionMore, versionMarker) = Page(input, versions, v => v.VersionId);
                return new { Versions = versionPage.Select(v => Version(owner, v, withDocument: false)).ToList(), IsTruncated = versionMore, Marker = versionMarker };
        }
    }

    /// <summary>A role in the model's member order; GetRole adds <c>Tags</c> and <c>RoleLastUsed</c>, which ListRoles leaves out.</summary>
    private static object Role(IamRole r, bool full) => new
    {
        r.Path,
        r.RoleName,
        r.RoleId,
        r.Arn,
        CreateDate = SandboxJson.EpochSeconds(r.CreateDate),
        AssumeRolePolicyDocument = Encode(r.AssumeRolePolicyDocument),
        r.Description,
        r.MaxSessionDuration,
        Tags = full ? r.Tags.Select(t => new { t.Key, t.Value }).ToList() : null,
        RoleLastUsed = full
            ? new { LastUsedDate = r.LastUsedDate is { } at ? SandboxJson.EpochSeconds(at) : (double?)null, Region = r.LastUsedDate is null ? null : "us-east-1" }
            : null,
    };

    private static object Policy(IamDirectory iam, ManagedPolicy p) => new
    {
        p.PolicyName,
        p.PolicyId,
        p.Arn,
        p.Path,
        p.DefaultVersionId,
        AttachmentCount = iam.Roles.Count(r => r.AttachedPolicyArns.Contains(p.Arn)),
        PermissionsBoundaryUsageCount = 0,
        IsAttachable = true,
        p.Description,
        CreateDate = SandboxJson.EpochSeconds(p.CreateDate),
        UpdateDate = SandboxJson.EpochSeconds(p.UpdateDate),
    };

    private static object Version(ManagedPolicy p, PolicyVersion v, bool withDocument) => new
    {
        Document = withDocument ? Encode(v.Document) : null,
        v.VersionId,
        IsDefaultVersion = v.VersionId == p.DefaultVersionId,
        CreateDate = SandboxJson.EpochSeconds(v.CreateDate),
    };

    /// <summary>IAM sends policy documents URL-encoded (RFC 3986); clients decode them.</summary>
    public static string Encode(string document) => Uri.EscapeDataString(document);

    private static string Required(JsonInput input, string name) =>
        input.String(name) is { Length: > 0 } value ? value
            : throw new AwsException("ValidationError", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    /// <summary>Marker/MaxItems paging: the marker is an opaque token naming the first item of the next page.</summary>
    private static (List<T> Page, bool IsTruncated, string? Marker) Page<T>(JsonInput input, IReadOnlyList<T> items, Func<T, string> key)
    {
        var max = input.Int("MaxItems") ?? 100;
        if (max is < 1 or > 1000)
            throw new AwsException("ValidationError", $"1 validation error detected: Value '{max}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000");
        var offset = 0;
        if (input.String("Marker") is { } marker)
        {
            offset = -1;
            for (var i = 0; i < items.Count && offset < 0; i++)
                if (Token(key(items[i])) == marker) offset = i;
            if (offset < 0) throw new AwsException("ValidationError", "Invalid Marker.");
        }
        var page = items.Skip(offset).Take(max).ToList();
        var more = offset + page.Count < items.Count;
        return (page, more, more ? Token(key(items[offset + page.Count])) : null);
    }

    private static string Token(string key) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("iam:" + key));
}
