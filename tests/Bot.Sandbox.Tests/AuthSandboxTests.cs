using System.Globalization;
using System.Net;

namespace Bot.Sandbox.Tests;

public sealed class AuthSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static Action<System.Net.Http.HttpRequestMessage> ReplaceAuthorization(string? value) => request =>
    {
        request.Headers.Remove("Authorization");
        if (value is not null) request.Headers.TryAddWithoutValidation("Authorization", value);
    };

    [Fact]
    public async Task A_request_without_Authorization_is_MissingAuthenticationTokenException()
    {
        var answer = await _sandbox.DynamoAsync("ListTables", new { });
        var unsigned = await _sandbox.JsonAsync("DynamoDB_20120810.ListTables", new { }, ReplaceAuthorization(null));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.Status);
        Assert.Equal("MissingAuthenticationTokenException", unsigned.ErrorType);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20260310/us-east-1/logs, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20260310/us-east-1/logs/aws4_request, SignedHeaders=host;x-amz-date, Signature=not-hex")]
    public async Task A_malformed_Authorization_is_IncompleteSignatureException(string authorization)
    {
        var answer = await _sandbox.JsonAsync("Logs_20140328.DescribeLogGroups", new { }, ReplaceAuthorization(authorization));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("IncompleteSignatureException", answer.ErrorType);
    }

    [Fact]
    public async Task A_signature_scoped_to_another_service_is_InvalidSignatureException()
    {
        var answer = await _sandbox.JsonAsync("GraniteServiceVersion20100801.DescribeAlarms", new { }, scopeService: "cloudwatch");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("InvalidSignatureException", answer.ErrorType);
        Assert.Contains("'monitoring'", answer.Body.GetProperty("message").GetString());
        Assert.Equal("InvalidSignatureException;Sender", answer.Header("x-amzn-query-error"));
    }

    [Fact]
    public async Task Cost_Explorer_must_be_signed_for_us_east_1()
    {
        var answer = await _sandbox.JsonAsync("AWSInsightsIndexService.GetCostAndUsage", new { }, region: "eu-west-1");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("InvalidSignatureException", answer.ErrorType);
    }

    [Fact]
    public async Task A_request_signed_too_long_ago_is_refused_as_expired()
    {
        var old = _sandbox.Time.GetUtcNow().AddMinutes(-20).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        var answer = await _sandbox.JsonAsync("DynamoDB_20120810.ListTables", new { }, request =>
        {
            request.Headers.Remove("X-Amz-Date");
            request.Headers.Add("X-Amz-Date", old);
        });

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("InvalidSignatureException", answer.ErrorType);
        Assert.StartsWith("Signature expired", answer.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_X_Amz_Date_is_IncompleteSignatureException()
    {
        var answer = await _sandbox.LambdaAsync(HttpMethod.Get, "/2015-03-31/functions/securebase-prod-report-engine", tweak: r => r.Headers.Remove("X-Amz-Date"));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("IncompleteSignatureException", answer.Header("x-amzn-ErrorType"));
    }

    [Fact]
    public async Task The_denied_key_gets_AccessDeniedException_and_the_expired_key_ExpiredTokenException()
    {
        _sandbox.AccessKeyId = _sandbox.Account.Options.DeniedAccessKeyId;
        var denied = await _sandbox.LambdaAsync(HttpMethod.Get, "/2015-03-31/functions/securebase-prod-report-engine");
        var deniedLogs = await _sandbox.LogsAsync("DescribeLogGroups", new { });
        _sandbox.AccessKeyId = _sandbox.Account.Options.ExpiredAccessKeyId;
        var expired = await _sandbox.CostAsync(new { });

        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal("AccessDeniedException", denied.Header("x-amzn-ErrorType"));
        Assert.Contains("lambda:GetFunction", denied.Body.GetProperty("Message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, deniedLogs.Status);
        Assert.Equal("AccessDeniedException", deniedLogs.ErrorType);
        Assert.Equal("ExpiredTokenException", expired.ErrorType);
    }

    [Fact]
    public async Task An_unknown_target_or_path_is_UnknownOperationException()
    {
        var target = await _sandbox.JsonAsync("DynamoDB_20120810.ImportTable", new { TableCreationParameters = new { TableName = "securebase-prod-reports" } });
        var path = await _sandbox.Client.GetAsync("/");

        Assert.Equal("UnknownOperationException", target.ErrorType);
        Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
        Assert.Equal("UnknownOperationException", path.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.NotNull(_sandbox.Account.Table("securebase-prod-reports"));
    }
}
