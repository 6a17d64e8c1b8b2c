using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Bot.Sandbox.Tests;

/// <summary>
/// IAM in the query protocol (<c>Version=2010-05-08</c>, XML), signed for <c>iam</c> in us-east-1: the SecureBase execution
/// roles, their attached and inline policies with URL-encoded documents, the planted findings, NoSuchEntity, and a drift
/// between two reviews.
/// </summary>
public sealed class IamSandboxTests : IAsyncLifetime
{
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<XElement> ResultAsync(string action, string parameters = "")
    {
        var answer = await _sandbox.IamAsync($"Action={action}&Version=2010-05-08{parameters}");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        var root = answer.Xml.Root!;
        Assert.Equal(Ns + (action + "Response"), root.Name);
        var result = root.Element(Ns + (action + "Result"))!;
        AwsXmlShapes.AssertMatches("iam", action + "Response", result);
        return result;
    }

    private static JsonElement Document(XElement encoded) => JsonDocument.Parse(Uri.UnescapeDataString(encoded.Value)).RootElement;

    private async Task<List<JsonElement>> StatementsAsync(string role)
    {
        var statements = new List<JsonElement>();
        var inline = await ResultAsync("ListRolePolicies", "&RoleName=" + role);
        foreach (var name in inline.Element(Ns + "PolicyNames")!.Elements(Ns + "member").Select(m => m.Value))
        {
            var policy = await ResultAsync("GetRolePolicy", $"&RoleName={role}&PolicyName={name}");
            statements.AddRange(Document(policy.Element(Ns + "PolicyDocument")!).GetProperty("Statement").EnumerateArray());
        }
        var attached = await ResultAsync("ListAttachedRolePolicies", "&RoleName=" + role);
        foreach (var arn in attached.Descendants(Ns + "PolicyArn").Select(a => a.Value))
        {
            var policy = await ResultAsync("GetPolicy", "&PolicyArn=" + Uri.EscapeDataString(arn));
            var version = policy.Descendants(Ns + "DefaultVersionId").Single().Value;
            var document = await ResultAsync("GetPolicyVersion", $"&PolicyArn={Uri.EscapeDataString(arn)}&VersionId={version}");
            statements.AddRange(Document(document.Descendants(Ns + "Document").Single()).GetProperty("Statement").EnumerateArray());
        }
        return statements;
    }

    private static IEnumerable<string> Values(JsonElement statement, string member) =>
        statement.GetProperty(member) is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().Select(v => v.GetString()!) : [statement.GetProperty(member).GetString()!];

    [Fact]
    public async Task Every_function_names_its_execution_role_and_GetRole_says_when_it_was_last_used()
    {
        foreach (var fn in _sandbox.Account.Functions)
        {
            var role = fn.Latest.Role.Split('/').Last();
            Assert.Equal(fn.Name + "-role", role);

            var result = await ResultAsync("GetRole", "&RoleName=" + role);

            var r = result.Element(Ns + "Role")!;
            Assert.Equal(fn.Latest.Role, r.Element(Ns + "Arn")!.Value);
            Assert.Equal("us-east-1", r.Element(Ns + "RoleLastUsed")!.Element(Ns + "Region")!.Value);
            var lastUsed = DateTimeOffset.Parse(r.Element(Ns + "RoleLastUsed")!.Element(Ns + "LastUsedDate")!.Value);
            Assert.InRange(lastUsed, SandboxHttp.Start.AddHours(-4), SandboxHttp.Start);
            Assert.Equal("lambda.amazonaws.com", Document(r.Element(Ns + "AssumeRolePolicyDocument")!).GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        }
    }

    [Fact]
    public async Task GetFunctionConfiguration_and_GetFunction_name_the_execution_role()
    {
        var configuration = await _sandbox.LambdaAsync(HttpMethod.Get, "/2015-03-31/functions/securebase-prod-report-engine/configuration");
        var function = await _sandbox.LambdaAsync(HttpMethod.Get, "/2015-03-31/functions/securebase-staging-session-management");

        Assert.Equal("arn:aws:iam::123456789012:role/securebase-prod-report-engine-role", configuration.Body.GetProperty("Role").GetString());
        Assert.Equal("arn:aws:iam::123456789012:role/securebase-staging-session-management-role", function.Body.GetProperty("Configuration").GetProperty("Role").GetString());
    }

    [Fact]
    public async Task The_guides_access_review_names_user_management_permissions_and_its_attached_policies()
    {
        var attached = await ResultAsync("ListAttachedRolePolicies", "&RoleName=securebase-prod-user-management-role");
        var inline = await ResultAsync("GetRolePolicy", "&RoleName=securebase-prod-user-management-role&PolicyName=user-management-permissions");

        Assert.Equal(["securebase-prod-lambda-logging", "securebase-prod-user-management-data"],
            attached.Descendants(Ns + "PolicyName").Select(p => p.Value).Order().ToArray());
        Assert.Equal("false", attached.Element(Ns + "IsTruncated")!.Value);
        Assert.Contains("%7B", inline.Element(Ns + "PolicyDocument")!.Value); // URL-encoded, as IAM sends it
        Assert.Equal("ReadSecrets", Document(inline.Element(Ns + "PolicyDocument")!).GetProperty("Statement")[0].GetProperty("Sid").GetString());
    }

    [Fact]
    public async Task Only_report_engine_has_a_wildcard_and_only_session_management_writes_outside_securebase()
    {
        var wildcards = new List<string>();
        var outside = new List<string>();
        foreach (var env in new[] { "prod", "staging", "dev" })
            foreach (var fn in new[] { "user-management", "session-management", "report-engine", "secret-rotation" })
            {
                var role = $"securebase-{env}-{fn}-role";
                foreach (var s in await StatementsAsync(role))
                {
                    if (Values(s, "Action").Contains("*") || Values(s, "Action").Any(a => a.EndsWith(":*")) || Values(s, "Resource").Contains("*"))
                        wildcards.Add($"{role}:{s.GetProperty("Sid").GetString()}");
                    var writes = Values(s, "Action").Any(a => a.Contains(":Put") || a.Contains(":Update") || a.Contains(":Delete") || a.EndsWith(":*"));
                    if (writes && Values(s, "Resource").Any(r => !r.Contains("securebase-")))
                        outside.Add($"{role}:{s.GetProperty("Sid").GetString()}");
                }
            }

        Assert.Equal(["securebase-dev-report-engine-role:ReportsBucket", "securebase-prod-report-engine-role:ReportsBucket", "securebase-staging-report-engine-role:ReportsBucket"], wildcards.Order().ToArray());
        Assert.Equal(["securebase-dev-report-engine-role:ReportsBucket", "securebase-dev-session-management-role:LegacySessionMirror",
            "securebase-prod-report-engine-role:ReportsBucket", "securebase-prod-session-management-role:LegacySessionMirror",
            "securebase-staging-report-engine-role:ReportsBucket", "securebase-staging-session-management-role:LegacySessionMirror"], outside.Order().ToArray());
    }

    [Fact]
    public async Task A_managed_policy_keeps_its_versions_and_names_the_default()
    {
        var arn = Uri.EscapeDataString("arn:aws:iam::123456789012:policy/securebase-prod-user-management-data");

        var policy = await ResultAsync("GetPolicy", "&PolicyArn=" + arn);
        var versions = await ResultAsync("ListPolicyVersions", "&PolicyArn=" + arn);
        var first = await ResultAsync("GetPolicyVersion", $"&PolicyArn={arn}&VersionId=v1");

        Assert.Equal("v3", policy.Descendants(Ns + "DefaultVersionId").Single().Value);
        Assert.Equal("1", policy.Descendants(Ns + "AttachmentCount").Single().Value);
        Assert.Equal(["v3", "v2", "v1"], versions.Descendants(Ns + "VersionId").Select(v => v.Value).ToArray());
        Assert.Equal("false", first.Descendants(Ns + "IsDefaultVersion").Single().Value);
    }

    [Fact]
    public async Task An_unknown_role_or_policy_is_NoSuchEntity_with_404()
    {
        var role = await _sandbox.IamAsync("Action=GetRole&Version=2010-05-08&RoleName=securebase-prod-nope-role");
        var policy = await _sandbox.IamAsync("Action=GetRolePolicy&Version=2010-05-08&RoleName=securebase-prod-report-engine-role&PolicyName=nope");

        Assert.Equal(HttpStatusCode.NotFound, role.Status);
        Assert.Equal("NoSuchEntity", role.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.Equal("The role with name securebase-prod-nope-role cannot be found.", role.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Message")!.Value);
        Assert.Equal(HttpStatusCode.NotFound, policy.Status);
        Assert.Equal("NoSuchEntity", policy.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
    }

    [Fact]
    public async Task Roles_page_with_Marker_and_MaxItems()
    {
        var names = new List<string>();
        string? marker = null;
        do
        {
            var page = await ResultAsync("ListRoles", "&MaxItems=5" + (marker is null ? "" : "&Marker=" + Uri.EscapeDataString(marker)));
            names.AddRange(page.Descendants(Ns + "RoleName").Select(n => n.Value));
            marker = page.Element(Ns + "Marker")?.Value;
        } while (marker is not null);

        Assert.Equal(12, names.Count);
        Assert.Contains("securebase-staging-secret-rotation-role", names);
    }

    [Fact]
    public async Task A_drift_through_the_control_API_shows_in_the_second_review()
    {
        var before = await StatementsAsync("securebase-prod-user-management-role");

        var drift = await _sandbox.Client.PostAsync("/_sandbox/iam/drift", new StringContent("{\"role\":\"securebase-prod-user-management-role\"}"));
        var after = await StatementsAsync("securebase-prod-user-management-role");

        Assert.Equal(HttpStatusCode.OK, drift.StatusCode);
        Assert.DoesNotContain(before, s => s.GetProperty("Sid").GetString() == "TemporaryDebugAccess");
        var debug = Assert.Single(after, s => s.GetProperty("Sid").GetString() == "TemporaryDebugAccess");
        Assert.Equal("dynamodb:*", debug.GetProperty("Action").GetString());
        Assert.Contains(after, s => Values(s, "Action").Contains("dynamodb:DeleteTable"));
        var policy = await ResultAsync("GetPolicy", "&PolicyArn=" + Uri.EscapeDataString("arn:aws:iam::123456789012:policy/securebase-prod-user-management-data"));
        Assert.Equal("v4", policy.Descendants(Ns + "DefaultVersionId").Single().Value);
    }

    [Fact]
    public async Task IAM_throttling_answers_Throttling_until_its_count_runs_out()
    {
        _sandbox.Account.Faults.IamThrottling(times: 2);

        var first = await _sandbox.IamAsync("Action=GetRole&Version=2010-05-08&RoleName=securebase-prod-report-engine-role");
        var second = await _sandbox.IamAsync("Action=ListRolePolicies&Version=2010-05-08&RoleName=securebase-prod-report-engine-role");
        var third = await _sandbox.IamAsync("Action=GetRole&Version=2010-05-08&RoleName=securebase-prod-report-engine-role");

        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal("Throttling", first.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.Equal("Rate exceeded", first.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Message")!.Value);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
    }

    [Fact]
    public async Task IAM_must_be_signed_for_us_east_1()
    {
        var answer = await _sandbox.QueryAsync("Action=GetRole&Version=2010-05-08&RoleName=securebase-prod-report-engine-role", "iam", "eu-west-1");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("SignatureDoesNotMatch", answer.Xml.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
    }
}
