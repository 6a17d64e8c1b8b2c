using System.Text;
using System.Web;
using Bot.Testing;
using Bot.Testing.Aws;

namespace Bot.Tests.Aws;

/// <summary>
/// An assume-role profile (<c>role_arn</c> with a <c>source_profile</c>), the way an operator runs the bot from a laptop:
/// the built bot as a child process (AWSSDK.Core reads the config files' paths once per process, so each run needs its
/// own), <c>shell --real-aws</c>, <c>/sb alarms</c>. Its STS call, signed with the source profile's keys, reaches a fake
/// STS on loopback (<c>AWS_ENDPOINT_URL_STS</c>), and the CloudWatch call is signed with the role's keys.
/// </summary>
public sealed class AssumeRoleProfileTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/securebase-ops-bot";
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-aws-profile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static StubResponse Answer(StubRequest request)
    {
        if (HttpUtility.ParseQueryString(request.BodyText)["Action"] == "AssumeRole" || request.Header("X-Amz-Target")?.EndsWith(".AssumeRole", StringComparison.Ordinal) == true)
        {
            if (request.Header("Authorization")?.Contains("Credential=AKIASOURCEPROFILE001/", StringComparison.Ordinal) != true)
                return new StubResponse(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error></ErrorResponse>");
            var expiration = DateTime.UtcNow.AddHours(1);
            if (request.Header("X-Amz-Target") is { Length: > 0 })
                return new StubResponse(200, $$$"""{"Credentials":{"AccessKeyId":"ASIAASSUMEDROLE00001","SecretAccessKey":"sts/secret","SessionToken":"sts-session-token","Expiration":{{{new DateTimeOffset(expiration).ToUnixTimeSeconds()}}}}}""",
                    new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" });
            return new StubResponse(200, $"""
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <Credentials>
                      <AccessKeyId>ASIAASSUMEDROLE00001</AccessKeyId>
                      <SecretAccessKey>sts/secret</SecretAccessKey>
                      <SessionToken>sts-session-token</SessionToken>
                      <Expiration>{expiration:yyyy-MM-dd'T'HH:mm:ss'Z'}</Expiration>
                    </Credentials>
                    <AssumedRoleUser><Arn>{RoleArn}/sb</Arn><AssumedRoleId>AROA0000000000000001:sb</AssumedRoleId></AssumedRoleUser>
                  </AssumeRoleResult>
                  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                </AssumeRoleResponse>
                """, new Dictionary<string, string> { ["Content-Type"] = "text/xml" });
        }
        return StubResponse.Json("""{"MetricAlarms":[],"CompositeAlarms":[]}""");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task An_assume_role_profile_with_a_source_profile_gets_sts_credentials_that_sign_the_bots_request()
    {
        await using var aws = await AwsStubServer.StartAsync();
        aws.Respond = Answer;
        var endpoint = aws.BaseUri.ToString().TrimEnd('/');

        var result = await BotProcess.RunAsync(["shell", "--real-aws"], "/sb alarms\n", new Dictionary<string, string>
        {
            ["AWS_CONFIG_FILE"] = Write("config", $"""
                [profile ops-bot]
                role_arn = {RoleArn}
                source_profile = base
                role_session_name = securebase-ops-bot
                region = {StubClients.Region}
                """),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Write("credentials", """
                [base]
                aws_access_key_id = AKIASOURCEPROFILE001
                aws_secret_access_key = source/profile/secret
                """),
            ["AWS_PROFILE"] = "ops-bot",
            ["AWS_REGION"] = StubClients.Region,
            ["AWS_ENDPOINT_URL"] = endpoint,
            ["AWS_ENDPOINT_URL_STS"] = endpoint,
            // Nothing of the machine's takes part, and nothing leaves loopback.
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "",
            ["AWS_SECRET_ACCESS_KEY"] = "",
            ["AWS_SESSION_TOKEN"] = "",
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "",
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "",
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "",
        }, TimeSpan.FromSeconds(90));

        var assume = Assert.Single(aws.Requests, r => r.BodyText.Contains("Action=AssumeRole&", StringComparison.Ordinal) || r.Header("X-Amz-Target")?.EndsWith(".AssumeRole", StringComparison.Ordinal) == true);
        var call = Assert.Single(aws.Requests, r => r.Header("X-Amz-Target") == "GraniteServiceVersion20100801.DescribeAlarms");
        Assert.Contains("Credential=AKIASOURCEPROFILE001/", assume.Header("Authorization"));
        Assert.Contains("Credential=ASIAASSUMEDROLE00001/", call.Header("Authorization"));
        Assert.Equal("sts-session-token", call.Header("X-Amz-Security-Token"));
        Assert.True(AwsStubServer.SignatureIsValid(call, "sts/secret", StubClients.Region, "monitoring"));
        Assert.Contains("No alarms found for prod.", result.StandardOutput);
    }
}
