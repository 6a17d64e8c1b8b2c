using System.Text;
using System.Web;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Testing;
using Bot.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Integrations.Tests.Aws;

/// <summary>
/// The AWS credential chains an operator's environment gives the bot, with no keys in its own settings, each ending in a
/// CloudWatch request signed with the credentials the chain produced, on a loopback stub that plays the credential
/// endpoints too (the ECS container endpoint, STS). The variables are process-wide: these tests run alone, restore every
/// variable they touch, and point the shared config files at empty temporary ones (and turn EC2's metadata service off),
/// so nothing on the machine takes part and nothing leaves loopback. (An assume-role profile is the config files'
/// business, whose paths AWSSDK.Core reads once per process: tests/Bot.Tests/Aws/AssumeRoleProfileTests.cs runs the built
/// bot as a child process for it.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment variables";
}

[Collection(AwsEnvironmentCollection.Name)]
public sealed class CredentialChainTests : IAsyncLifetime
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/securebase-ops-bot";

    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_STS_REGIONAL_ENDPOINTS",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    /// <summary>One folder for the process: AWSSDK.Core reads the config files' paths once and keeps them.</summary>
    private static readonly string Folder = Directory.CreateTempSubdirectory("sb-aws-chain-").FullName;
    private readonly string _folder = Folder;
    private AwsStubServer _aws = null!;

    public async Task InitializeAsync()
    {
        foreach (var v in Variables) Environment.SetEnvironmentVariable(v, null);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        // Empty config files of our own (the machine's ~/.aws takes no part); the profile test fills them.
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", WriteFile("config", ""));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", WriteFile("credentials", ""));
        Environment.SetEnvironmentVariable("AWS_REGION", StubClients.Region);
        _aws = await AwsStubServer.StartAsync();
        _aws.Respond = Answer;
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", _aws.BaseUri.ToString().TrimEnd('/'));
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        await _aws.DisposeAsync();
        foreach (var file in Directory.EnumerateFiles(_folder)) File.Delete(file);
    }

    /// <summary>The container endpoint, STS (query or JSON protocol) and CloudWatch, by what each request is.</summary>
    private static StubResponse Answer(StubRequest request)
    {
        if (request.Path == "/ecs-credentials")
        {
            return request.Header("Authorization") == "container-token-from-file"
                ? StubResponse.Json($$"""{"AccessKeyId":"ASIACONTAINER0000001","SecretAccessKey":"container/secret","Token":"container-session-token","Expiration":"{{Later()}}","RoleArn":"{{RoleArn}}"}""")
                : new StubResponse(401, "no or wrong authorization token");
        }
        var target = request.Header("X-Amz-Target") ?? "";
        var action = target.StartsWith("AWSSecurityTokenServiceV20110615.", StringComparison.Ordinal)
            ? target[(target.IndexOf('.') + 1)..]
            : HttpUtility.ParseQueryString(request.BodyText)["Action"];
        if (action is "AssumeRole" or "AssumeRoleWithWebIdentity")
        {
            // Web identity is unsigned and carries the token; AssumeRole is signed with the source profile's keys.
            var form = HttpUtility.ParseQueryString(request.BodyText);
            var allowed = action == "AssumeRoleWithWebIdentity"
                ? form["WebIdentityToken"] == "web-identity-token-from-file" || request.BodyText.Contains("web-identity-token-from-file", StringComparison.Ordinal)
                : request.Header("Authorization")?.Contains("Credential=AKIASOURCEPROFILE001/", StringComparison.Ordinal) == true;
            if (!allowed) return new StubResponse(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error></ErrorResponse>");
            var key = action == "AssumeRole" ? "ASIAASSUMEDROLE00001" : "ASIAWEBIDENTITY00001";
            if (target.Length > 0)
                return new StubResponse(200, $$$"""{"Credentials":{"AccessKeyId":"{{{key}}}","SecretAccessKey":"sts/secret","SessionToken":"sts-session-token","Expiration":{{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}}}""",
                    new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" });
            return new StubResponse(200, $"""
                <{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <{action}Result>
                    <Credentials>
                      <AccessKeyId>{key}</AccessKeyId>
                      <SecretAccessKey>sts/secret</SecretAccessKey>
                      <SessionToken>sts-session-token</SessionToken>
                      <Expiration>{Later()}</Expiration>
                    </Credentials>
                    <AssumedRoleUser><Arn>{RoleArn}/sb</Arn><AssumedRoleId>AROA0000000000000001:sb</AssumedRoleId></AssumedRoleUser>
                  </{action}Result>
                  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                </{action}Response>
                """, new Dictionary<string, string> { ["Content-Type"] = "text/xml" });
        }
        return StubResponse.Json("""{"MetricAlarms":[],"CompositeAlarms":[]}""");
    }

    private static string Later() => DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A CloudWatch call through the bot's own client, with no keys in its settings: the SDK's default chain.</summary>
    private async Task<StubRequest> SignedCallAsync()
    {
        await using var services = StubClients.Build(_aws.BaseUri, settings: new Dictionary<string, string?> { ["Aws:AccessKeyId"] = null, ["Aws:SecretAccessKey"] = null });
        Assert.IsType<SdkDefaultCredentialsProvider>(services.GetRequiredService<IAwsCredentialsProvider>());
        await services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None);
        return _aws.Requests.Last(r => r.Header("X-Amz-Target")?.StartsWith("GraniteServiceVersion20100801.", StringComparison.Ordinal) == true);
    }

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task Container_credentials_from_the_full_uri_with_the_authorization_token_file_sign_the_request()
    {
        Environment.SetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI", new Uri(_aws.BaseUri, "ecs-credentials").ToString());
        Environment.SetEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", WriteFile("container-token", "container-token-from-file"));

        var call = await SignedCallAsync();

        Assert.Contains(_aws.Requests, r => r.Path == "/ecs-credentials" && r.Header("Authorization") == "container-token-from-file");
        Assert.Contains("Credential=ASIACONTAINER0000001/", call.Header("Authorization"));
        Assert.Equal("container-session-token", call.Header("X-Amz-Security-Token"));
        Assert.True(AwsStubServer.SignatureIsValid(call, "container/secret", StubClients.Region, "monitoring"));
    }

    [Fact]
    public async Task Web_identity_credentials_from_sts_sign_the_request()
    {
        Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", WriteFile("web-identity-token", "web-identity-token-from-file"));
        Environment.SetEnvironmentVariable("AWS_ROLE_ARN", RoleArn);
        Environment.SetEnvironmentVariable("AWS_ROLE_SESSION_NAME", "securebase-ops-bot");

        var call = await SignedCallAsync();

        Assert.Contains(_aws.Requests, r => r.BodyText.Contains("AssumeRoleWithWebIdentity", StringComparison.Ordinal) || r.Header("X-Amz-Target")?.EndsWith(".AssumeRoleWithWebIdentity", StringComparison.Ordinal) == true);
        Assert.Contains("Credential=ASIAWEBIDENTITY00001/", call.Header("Authorization"));
        Assert.Equal("sts-session-token", call.Header("X-Amz-Security-Token"));
        Assert.True(AwsStubServer.SignatureIsValid(call, "sts/secret", StubClients.Region, "monitoring"));
    }
}
