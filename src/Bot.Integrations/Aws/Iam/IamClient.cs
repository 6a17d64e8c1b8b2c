using System.Xml.Linq;

namespace Bot.Integrations.Aws.Iam;

public sealed class IamClient(HttpClient http) : IIamClient
{
    private const int MaxPages = 20;
    private readonly AwsQueryRpc _rpc = new(http, AwsService.Iam, "2010-05-08");

    public async Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var role = QueryXml.Child(await _rpc.CallAsync("GetRole", [new("RoleName", roleName)], cancellationToken), "Role");
        var lastUsed = QueryXml.Child(role, "RoleLastUsed");
        return new IamRole(QueryXml.Text(role, "RoleName") ?? roleName, QueryXml.Text(role, "Arn") ?? "", QueryXml.Time(role, "CreateDate"),
            QueryXml.Time(lastUsed, "LastUsedDate"), QueryXml.Text(lastUsed, "Region"));
    }

    public Task<IReadOnlyList<AttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
        ListAsync("ListAttachedRolePolicies", roleName, "AttachedPolicies",
            m => new AttachedPolicy(QueryXml.Text(m, "PolicyName") ?? "", QueryXml.Text(m, "PolicyArn") ?? ""), cancellationToken);

    public Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
        ListAsync("ListRolePolicies", roleName, "PolicyNames", m => m.Value, cancellationToken);

    public async Task<string> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
        Decode(QueryXml.Text(await _rpc.CallAsync("GetRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName)], cancellationToken), "PolicyDocument"));

    public async Task<ManagedPolicy> GetPolicyAsync(string policyArn, CancellationToken cancellationToken)
    {
        var policy = QueryXml.Child(await _rpc.CallAsync("GetPolicy", [new("PolicyArn", policyArn)], cancellationToken), "Policy");
        return new ManagedPolicy(QueryXml.Text(policy, "PolicyName") ?? "", QueryXml.Text(policy, "Arn") ?? policyArn, QueryXml.Text(policy, "DefaultVersionId") ?? "v1");
    }

    public async Task<string> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken)
    {
        var result = await _rpc.CallAsync("GetPolicyVersion", [new("PolicyArn", policyArn), new("VersionId", versionId)], cancellationToken);
        return Decode(QueryXml.Text(QueryXml.Child(result, "PolicyVersion"), "Document"));
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string operation, string roleName, string listName, Func<XElement, T> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? marker = null;
        for (var page = 0; page < MaxPages; page++)
        {
            List<KeyValuePair<string, string>> parameters = [new("RoleName", roleName)];
            if (marker is not null) parameters.Add(new("Marker", marker));
            var result = await _rpc.CallAsync(operation, parameters, cancellationToken);
            items.AddRange(QueryXml.Members(result, listName).Select(read));
            marker = QueryXml.Text(result, "Marker");
            if (!QueryXml.Bool(result, "IsTruncated") || string.IsNullOrEmpty(marker)) break;
        }
        return items;
    }

    /// <summary>IAM sends policy documents URL-encoded (RFC 3986).</summary>
    private static string Decode(string? document) => document is null ? "" : Uri.UnescapeDataString(document);
}
